//! `sopkit lsp`: the language server. Findings while the SOP is being written, fixes, suppress
//! actions, hover and completion, for any editor that speaks LSP over standard input/output.
//!
//! Built on `lsp-server` + `lsp-types` (rust-analyzer's crates, which ruff's server also uses)
//! rather than `tower-lsp-server` (harper-ls): the linter is synchronous and CPU-bound, so an
//! async runtime (tokio, tower) would add a large dependency tree and nothing to gain; a plain
//! message loop over crossbeam channels, with linting on worker threads, keeps the build lean
//! (5 small crates) and the control explicit: debouncing, version tags and panic isolation
//! are a few lines each here.
//!
//! Design:
//! - The main loop owns the open documents and never lints: it applies edits (incremental
//!   sync, UTF-16 positions), schedules a lint of a changed document after a debounce, and
//!   hands requests to worker threads.
//! - Every analysis carries the document version it was computed from; a result for an older
//!   version than the document now has is never published or cached over a newer one.
//! - Diagnostics are pulled (`textDocument/diagnostic`) when the client supports it, pushed
//!   (`textDocument/publishDiagnostics`) otherwise. They are `sopkit lint FILE`'s, computed by
//!   the same configuration discovery ([`crate::config::Resolver`]) and linter.
//! - A broken configuration is a diagnostic on the configuration file and on each document it
//!   governs, never a dead server; a changed `sopkit.yaml`, or any YAML file (a base it
//!   `extends`, a rule pack), watched or saved in the editor, re-lints every open document.
//! - A panic in a request handler is caught and answered with an error; the server goes on.

mod analysis;
mod features;
mod text;

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification as n, request as r, Uri};
use serde_json::{json, Value};

use analysis::{Analysis, Configs};
use text::{path_to_uri, uri_to_path, Lines};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// How the server behaves; the defaults are what `sopkit lsp` uses.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long after the last edit a document is linted (push mode).
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            debounce: Duration::from_millis(150),
        }
    }
}

/// Serves LSP over standard input and output until the client says `exit`.
pub fn run() -> Result<(), Error> {
    let (conn, io) = Connection::stdio();
    serve(conn, Options::default())?;
    io.join()?;
    Ok(())
}

/// Serves LSP over a connection (stdio, or in memory for tests) until `exit`.
pub fn serve(conn: Connection, options: Options) -> Result<(), Error> {
    let (id, params) = conn.initialize_start()?;
    let init: lsp_types::InitializeParams = serde_json::from_value(params)?;
    let caps = &init.capabilities;
    let pull = caps
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some());
    let refresh = caps
        .workspace
        .as_ref()
        .and_then(|w| w.diagnostic.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    let watch = caps
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    conn.initialize_finish(id, initialize_result(pull))?;
    let (done_tx, done_rx) = crossbeam_channel::unbounded();
    let mut server = Server {
        sender: conn.sender.clone(),
        docs: HashMap::new(),
        analyses: HashMap::new(),
        pending: HashMap::new(),
        running: HashSet::new(),
        configs: Arc::new(Configs::default()),
        config_files: HashSet::new(),
        pull,
        refresh,
        options,
        done_tx,
        next_id: 0,
    };
    if watch {
        server.register_watchers();
    }
    server.main_loop(&conn, &done_rx)
}

fn initialize_result(pull: bool) -> Value {
    let mut caps = json!({
        "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
        "codeActionProvider": {
            "codeActionKinds": ["quickfix", "source.fixAll.sopkit"],
            "resolveProvider": false
        },
        "hoverProvider": true,
        "completionProvider": { "triggerCharacters": [" ", ":", "#", "|", ","] },
    });
    if pull {
        caps["diagnosticProvider"] = json!({
            "identifier": "sopkit",
            "interFileDependencies": false,
            "workspaceDiagnostics": false
        });
    }
    json!({
        "capabilities": caps,
        "serverInfo": { "name": "sopkit", "version": env!("CARGO_PKG_VERSION") }
    })
}

/// An open document: its text and the version the client gave it.
struct Doc {
    text: Arc<String>,
    version: i32,
    path: PathBuf,
}

/// A worker's result for the main loop.
enum Done {
    Analysed(Uri, Arc<Analysis>),
    Failed(Uri),
}

struct Server {
    sender: Sender<Message>,
    docs: HashMap<Uri, Doc>,
    /// The latest analysis of each open document (possibly of an older version).
    analyses: HashMap<Uri, Arc<Analysis>>,
    /// Documents to lint, and when (the debounce deadline).
    pending: HashMap<Uri, Instant>,
    /// Documents being linted now (one lint per document at a time).
    running: HashSet<Uri>,
    configs: Arc<Configs>,
    /// Configuration files we published a diagnostic on.
    config_files: HashSet<Uri>,
    pull: bool,
    refresh: bool,
    options: Options,
    done_tx: Sender<Done>,
    next_id: i32,
}

impl Server {
    fn main_loop(&mut self, conn: &Connection, done: &Receiver<Done>) -> Result<(), Error> {
        loop {
            let wait = self
                .pending
                .iter()
                .filter(|(u, _)| !self.running.contains(*u))
                .map(|(_, t)| t.saturating_duration_since(Instant::now()))
                .min()
                .unwrap_or(Duration::from_secs(3600));
            select! {
                recv(conn.receiver) -> msg => match msg {
                    Ok(Message::Request(req)) => {
                        if conn.handle_shutdown(&req)? {
                            return Ok(());
                        }
                        self.request(req);
                    }
                    Ok(Message::Notification(not)) => {
                        if not.method == n::Exit::METHOD {
                            return Ok(());
                        }
                        self.notification(not);
                    }
                    Ok(Message::Response(_)) => {}
                    Err(_) => return Ok(()),
                },
                recv(done) -> d => {
                    if let Ok(d) = d {
                        self.finished(d);
                    }
                },
                default(wait) => {}
            }
            self.start_due();
        }
    }

    fn send(&self, m: impl Into<Message>) {
        // The client is gone when this fails; the loop ends on the next receive.
        let _ = self.sender.send(m.into());
    }

    fn register_watchers(&mut self) {
        let params = json!({ "registrations": [{
            "id": "sopkit-config",
            "method": n::DidChangeWatchedFiles::METHOD,
            "registerOptions": { "watchers": [
                { "globPattern": "**/*.{yaml,yml}" }
            ]}
        }]});
        self.client_request(r::RegisterCapability::METHOD, params);
    }

    fn client_request(&mut self, method: &str, params: Value) {
        self.next_id += 1;
        let id = RequestId::from(format!("sopkit-{}", self.next_id));
        self.send(Request::new(id, method.to_string(), params));
    }

    fn notification(&mut self, not: Notification) {
        let result = catch_unwind(AssertUnwindSafe(|| self.handle_notification(not)));
        if let Err(p) = result {
            eprintln!("sopkit lsp: notification panicked: {}", panic_message(&p));
        }
    }

    fn handle_notification(&mut self, not: Notification) {
        match not.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(not.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                let path = path_of(&uri);
                self.docs.insert(
                    uri.clone(),
                    Doc {
                        text: Arc::new(p.text_document.text),
                        version: p.text_document.version,
                        path,
                    },
                );
                self.pending.insert(uri, Instant::now());
            }
            n::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(not.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                let mut text = doc.text.to_string();
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            let lines = Lines::new(&text);
                            let start = lines.offset(range.start);
                            let end = lines.offset(range.end).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                doc.text = Arc::new(text);
                doc.version = p.text_document.version;
                if is_config(&doc.path) {
                    return;
                }
                self.pending
                    .insert(uri, Instant::now() + self.options.debounce);
            }
            n::DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(not.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                self.docs.remove(&uri);
                self.analyses.remove(&uri);
                self.pending.remove(&uri);
                if !self.pull {
                    self.publish(uri, Vec::new(), None);
                }
            }
            n::DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(not.params)
                else {
                    return;
                };
                if uri_to_path(&p.text_document.uri).is_some_and(|p| affects_config(&p)) {
                    self.config_changed();
                }
            }
            n::DidChangeWatchedFiles::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(not.params)
                else {
                    return;
                };
                if p.changes
                    .iter()
                    .any(|c| uri_to_path(&c.uri).is_some_and(|p| affects_config(&p)))
                {
                    self.config_changed();
                }
            }
            n::DidChangeConfiguration::METHOD => self.config_changed(),
            _ => {}
        }
    }

    /// A configuration file changed: forget every configuration, clear the diagnostics of
    /// configuration files, and lint every open document again.
    fn config_changed(&mut self) {
        self.configs.clear();
        for uri in std::mem::take(&mut self.config_files) {
            self.publish(uri, Vec::new(), None);
        }
        let now = Instant::now();
        for uri in self.docs.keys() {
            self.pending.insert(uri.clone(), now);
        }
        if self.pull && self.refresh {
            self.client_request(r::WorkspaceDiagnosticRefresh::METHOD, Value::Null);
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = lsp_types::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(
            n::PublishDiagnostics::METHOD.to_string(),
            params,
        ));
    }

    /// Starts the lints whose debounce has passed.
    fn start_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .pending
            .iter()
            .filter(|(u, t)| **t <= now && !self.running.contains(*u))
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.pending.remove(&uri);
            let Some(doc) = self.docs.get(&uri) else {
                continue;
            };
            if is_config(&doc.path) {
                continue;
            }
            self.running.insert(uri.clone());
            let (path, text, version) = (doc.path.clone(), Arc::clone(&doc.text), doc.version);
            let configs = Arc::clone(&self.configs);
            let tx = self.done_tx.clone();
            std::thread::spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    analysis::analyse(&path, text, version, &configs)
                }));
                let _ = tx.send(match result {
                    Ok(a) => Done::Analysed(uri, Arc::new(a)),
                    Err(p) => {
                        eprintln!("sopkit lsp: lint panicked: {}", panic_message(&p));
                        Done::Failed(uri)
                    }
                });
            });
        }
    }

    fn finished(&mut self, done: Done) {
        let (uri, a) = match done {
            Done::Analysed(uri, a) => (uri, a),
            Done::Failed(uri) => {
                self.running.remove(&uri);
                return;
            }
        };
        self.running.remove(&uri);
        self.store(&uri, &a);
        let Some(doc) = self.docs.get(&uri) else {
            return;
        };
        if let Some((file, diagnostic)) = &a.config_file {
            if let Some(cfg_uri) = path_to_uri(file) {
                if self.config_files.insert(cfg_uri.clone()) {
                    self.publish(cfg_uri, vec![diagnostic.clone()], None);
                }
            }
        }
        // Never publish a result older than the document: a newer lint is pending.
        if !self.pull && a.version == doc.version {
            self.publish(uri, a.lsp_diagnostics(), Some(a.version));
        }
    }

    /// Keeps an analysis unless a newer one is already kept.
    fn store(&mut self, uri: &Uri, a: &Arc<Analysis>) {
        if !self.docs.contains_key(uri) {
            return;
        }
        let newer = self
            .analyses
            .get(uri)
            .is_some_and(|old| old.version > a.version);
        if !newer {
            self.analyses.insert(uri.clone(), Arc::clone(a));
        }
    }

    fn request(&mut self, req: Request) {
        let uri = req
            .params
            .pointer("/textDocument/uri")
            .and_then(|u| serde_json::from_value::<Uri>(u.clone()).ok());
        let Some(uri) = uri else {
            self.send(Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("unsupported request {}", req.method),
            ));
            return;
        };
        let Some(doc) = self.docs.get(&uri) else {
            self.send(Response::new_err(
                req.id,
                ErrorCode::InvalidParams as i32,
                "the document is not open".into(),
            ));
            return;
        };
        let method = req.method.clone();
        if !matches!(
            method.as_str(),
            r::DocumentDiagnosticRequest::METHOD
                | r::CodeActionRequest::METHOD
                | r::HoverRequest::METHOD
                | r::Completion::METHOD
        ) {
            self.send(Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("unsupported request {method}"),
            ));
            return;
        }
        let cached = self
            .analyses
            .get(&uri)
            .filter(|a| a.version == doc.version)
            .cloned();
        let (path, text, version) = (doc.path.clone(), Arc::clone(&doc.text), doc.version);
        let configs = Arc::clone(&self.configs);
        let sender = self.sender.clone();
        let done = self.done_tx.clone();
        std::thread::spawn(move || {
            let response = guarded(req.id, &method, || {
                let a = match cached {
                    Some(a) => a,
                    None => {
                        let a = Arc::new(analysis::analyse(&path, text, version, &configs));
                        let _ = done.send(Done::Analysed(uri.clone(), Arc::clone(&a)));
                        a
                    }
                };
                features::answer(&method, req.params, &a, &uri)
            });
            let _ = sender.send(response.into());
        });
    }
}

/// The response to a request: its answer, an error for bad parameters, or an internal error
/// when answering panicked (caught and logged: the server goes on).
fn guarded(
    id: RequestId,
    method: &str,
    answer: impl FnOnce() -> Result<Value, String>,
) -> Response {
    match catch_unwind(AssertUnwindSafe(answer)) {
        Ok(Ok(value)) => Response::new_ok(id, value),
        Ok(Err(message)) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        Err(p) => {
            let message = panic_message(&p);
            eprintln!("sopkit lsp: {method} panicked: {message}");
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("sopkit failed on {method}: {message}"),
            )
        }
    }
}

/// The path of a document: its file, or for an unsaved one a name in the working directory
/// (so the configuration there applies).
fn path_of(uri: &Uri) -> PathBuf {
    uri_to_path(uri).unwrap_or_else(|| {
        std::env::current_dir()
            .unwrap_or_default()
            .join("untitled.md")
    })
}

fn is_config(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| crate::config::FILE_NAMES.contains(&n))
}

/// Whether a changed file may change a configuration: a `sopkit.yaml`, or any YAML file (a
/// base it `extends`, a rule pack it loads).
fn affects_config(path: &std::path::Path) -> bool {
    is_config(path)
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_request_is_an_internal_error() {
        let r = guarded(RequestId::from(7), "textDocument/hover", || {
            panic!("boom");
        });
        let e = r.error.unwrap();
        assert_eq!(e.code, ErrorCode::InternalError as i32);
        assert_eq!(e.message, "sopkit failed on textDocument/hover: boom");
        let r = guarded(RequestId::from(8), "x", || Err("bad".into()));
        assert_eq!(r.error.unwrap().code, ErrorCode::InvalidParams as i32);
        let r = guarded(RequestId::from(9), "x", || Ok(json!(1)));
        assert_eq!(r.result, Some(json!(1)));
    }
}
