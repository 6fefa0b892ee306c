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
//!   the same configuration discovery ([`crate::config::Resolver`]) and linter; or, for a
//!   file of a workspace folder, `sopkit lint FOLDER`'s (see below).
//! - A broken configuration is a diagnostic on the configuration file and on each document it
//!   governs, never a dead server; a changed `sopkit.yaml`, or any YAML file (a base it
//!   `extends`, a rule pack), watched or saved in the editor, re-lints every open document.
//! - A panic in a request handler is caught and answered with an error; the server goes on.
//! - Each workspace folder is scanned on a worker thread as `sopkit lint FOLDER` walks it
//!   (ignore files, `include`, `exclude`, one linter for the folder), keeping a summary of each
//!   file; a document of the folder is linted beside the others' summaries (the open
//!   documents' from their text), so that cross-document rules (duplicate ids, broken links,
//!   role spelling) report what `sopkit lint FOLDER` reports. Folders are rescanned when
//!   watched files or configurations change, and added or removed with the client's folders.
//! - Files that are not open get diagnostics too: pushed, until the client asks for
//!   `workspace/diagnostic` (VS Code does; Neovim pulls documents but not the workspace); then
//!   pulled, a request being held until the workspace changes, so that a client asking again
//!   at once is not a busy loop.
//! - `$/cancelRequest` answers a pending request with `RequestCancelled`; its work is skipped
//!   if it has not started.

mod analysis;
mod features;
mod folders;
mod text;
mod workspace;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
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
use workspace::{OpenSummaries, Root};

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
    // LSP spells the workspace's diagnostic capabilities `diagnostics`; lsp-types reads
    // `diagnostic`: either is taken.
    let refresh = ["diagnostics", "diagnostic"].iter().any(|k| {
        params
            .pointer(&format!("/capabilities/workspace/{k}/refreshSupport"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    });
    let init: lsp_types::InitializeParams = serde_json::from_value(params)?;
    let caps = &init.capabilities;
    let pull = caps
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some());
    let watch = caps
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    #[allow(deprecated)]
    let folders: Vec<PathBuf> = match (&init.workspace_folders, &init.root_uri) {
        (Some(f), _) => f.iter().filter_map(|f| uri_to_path(&f.uri)).collect(),
        (None, Some(root)) => uri_to_path(root).into_iter().collect(),
        (None, None) => Vec::new(),
    };
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
        folders: Vec::new(),
        roots: BTreeMap::new(),
        scanning: HashSet::new(),
        rescan: HashMap::new(),
        held: Vec::new(),
        open_summaries: HashMap::new(),
        inflight: HashMap::new(),
        workspace_pull: false,
        ws_gen: 0,
        ws_due: None,
        ws_pushing: false,
        ws_pushed: HashSet::new(),
        parked: Vec::new(),
        answered_gen: None,
    };
    if watch {
        server.register_watchers();
    }
    for folder in folders {
        server.add_folder(folder);
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
        "workspace": {
            "workspaceFolders": { "supported": true, "changeNotifications": true }
        },
    });
    if pull {
        caps["diagnosticProvider"] = json!({
            "identifier": "sopkit",
            "interFileDependencies": true,
            "workspaceDiagnostics": true
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
    /// A workspace folder scanned, or why it could not be (its configuration).
    Scanned(PathBuf, Result<Arc<Root>, String>),
    /// The diagnostics of the files that are not open, to push.
    Workspace(Vec<(Uri, Vec<lsp_types::Diagnostic>)>),
}

/// A request being answered: cancelling it sets `cancelled` (a worker that has not started
/// skips the work); whoever answers first (the worker, or the cancellation with
/// `RequestCancelled`) answers, once.
#[derive(Clone, Default)]
struct Reply {
    cancelled: Arc<AtomicBool>,
    answered: Arc<AtomicBool>,
}

impl Reply {
    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    fn is_answered(&self) -> bool {
        self.answered.load(Ordering::SeqCst)
    }

    /// Sends the response unless the request was answered already.
    fn send(&self, sender: &Sender<Message>, response: Response) {
        if !self.answered.swap(true, Ordering::SeqCst) {
            let _ = sender.send(response.into());
        }
    }

    /// Answers `RequestCancelled` unless answered already.
    fn cancel(&self, sender: &Sender<Message>, id: RequestId) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.send(
            sender,
            Response::new_err(
                id,
                ErrorCode::RequestCanceled as i32,
                "the request was cancelled".into(),
            ),
        );
    }
}

/// Runs `work` on a worker thread unless its request is cancelled first, and sends its answer
/// unless the request was answered (cancelled) meanwhile.
fn spawn_answer(
    sender: Sender<Message>,
    reply: Reply,
    work: impl FnOnce() -> Response + Send + 'static,
) {
    std::thread::spawn(move || {
        if reply.is_cancelled() {
            return;
        }
        let response = work();
        reply.send(&sender, response);
    });
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
    /// The workspace folders, as the client gave them.
    folders: Vec<PathBuf>,
    /// The folders scanned, by directory.
    roots: BTreeMap<PathBuf, Arc<Root>>,
    /// Folders being scanned now.
    scanning: HashSet<PathBuf>,
    /// Folders to scan, and when.
    rescan: HashMap<PathBuf, Instant>,
    /// Requests on documents of a folder being scanned: answered after the scan.
    held: Vec<(Request, Reply)>,
    /// What the cross-document rules read of each open document, from its text.
    open_summaries: OpenSummaries,
    /// Requests being answered, for `$/cancelRequest`.
    inflight: HashMap<RequestId, Reply>,
    /// Whether the client pulls workspace diagnostics: it asked once. Until then they are
    /// pushed (clients that pull documents' diagnostics but never the workspace's, as Neovim,
    /// get them so).
    workspace_pull: bool,
    /// Bumped whenever the diagnostics of files that are not open may have changed.
    ws_gen: u64,
    /// When to compute the workspace diagnostics again (push them, or answer parked pulls).
    ws_due: Option<Instant>,
    ws_pushing: bool,
    /// Files not open whose diagnostics were pushed.
    ws_pushed: HashSet<Uri>,
    /// `workspace/diagnostic` requests waiting for the workspace to change.
    parked: Vec<(RequestId, Reply)>,
    /// The generation the last workspace pull was answered with.
    answered_gen: Option<u64>,
}

impl Server {
    fn main_loop(&mut self, conn: &Connection, done: &Receiver<Done>) -> Result<(), Error> {
        loop {
            let wait = self.next_due().saturating_duration_since(Instant::now());
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

    /// When the next scan, lint or workspace lint is due; work that waits for a scan or a
    /// running lint is not (their end wakes the loop).
    fn next_due(&self) -> Instant {
        let quiet = self.scanning.is_empty() && self.rescan.is_empty();
        let waiting = |u: &Uri| {
            self.running.contains(u)
                || self
                    .docs
                    .get(u)
                    .is_some_and(|d| self.scanning_under(&d.path))
        };
        self.pending
            .iter()
            .filter(|(u, _)| !waiting(u))
            .map(|(_, t)| *t)
            .chain(
                self.rescan
                    .iter()
                    .filter(|(d, _)| !self.scanning.contains(*d))
                    .map(|(_, t)| *t),
            )
            .chain(self.ws_due.filter(|_| quiet && !self.ws_pushing))
            .min()
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600))
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
                { "globPattern": "**/*.{yaml,yml}" },
                { "globPattern": "**/*.{md,markdown}" },
                { "globPattern": "**/{.gitignore,.ignore}" }
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
                // Its diagnostics are the document's now, not the workspace's.
                if self.ws_pushed.remove(&uri) && self.pull {
                    self.publish(uri.clone(), Vec::new(), None);
                }
                self.pending.insert(uri, Instant::now());
                self.workspace_changed();
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
                if let Some(doc) = self.docs.remove(&uri) {
                    // The others compare with the file on disk again.
                    if self.open_summaries.remove(&doc.path).is_some() {
                        self.relint_beside(&doc.path);
                    }
                }
                self.analyses.remove(&uri);
                self.pending.remove(&uri);
                if !self.pull {
                    self.publish(uri, Vec::new(), None);
                }
                self.workspace_changed();
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
                let paths: Vec<PathBuf> = p
                    .changes
                    .iter()
                    .filter_map(|c| uri_to_path(&c.uri))
                    .collect();
                if paths.iter().any(|p| affects_config(p)) {
                    self.config_changed();
                } else {
                    for path in paths {
                        self.rescan_under(&path);
                    }
                }
            }
            n::DidChangeConfiguration::METHOD => self.config_changed(),
            n::DidChangeWorkspaceFolders::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidChangeWorkspaceFoldersParams>(
                    not.params,
                ) else {
                    return;
                };
                for f in &p.event.removed {
                    if let Some(dir) = uri_to_path(&f.uri) {
                        self.remove_folder(&dir);
                    }
                }
                for f in &p.event.added {
                    if let Some(dir) = uri_to_path(&f.uri) {
                        self.add_folder(dir);
                    }
                }
            }
            n::Cancel::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::CancelParams>(not.params) else {
                    return;
                };
                let id = match p.id {
                    lsp_types::NumberOrString::Number(n) => RequestId::from(n),
                    lsp_types::NumberOrString::String(s) => RequestId::from(s),
                };
                self.parked.retain(|(i, _)| *i != id);
                if let Some(reply) = self.inflight.remove(&id) {
                    reply.cancel(&self.sender, id);
                }
            }
            _ => {}
        }
    }

    /// Tracks a request for `$/cancelRequest`.
    fn track(&mut self, id: RequestId) -> Reply {
        self.inflight.retain(|_, r| !r.is_answered());
        let reply = Reply::default();
        self.inflight.insert(id, reply.clone());
        reply
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
        self.analyses.clear();
        for f in &self.folders {
            self.rescan.insert(f.clone(), now);
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

    /// Starts the scans, lints and workspace diagnostics whose debounce has passed. A document
    /// of a folder being scanned waits for the scan.
    fn start_due(&mut self) {
        let now = Instant::now();
        let scans: Vec<PathBuf> = self
            .rescan
            .iter()
            .filter(|(d, t)| **t <= now && !self.scanning.contains(*d))
            .map(|(d, _)| d.clone())
            .collect();
        for dir in scans {
            self.rescan.remove(&dir);
            self.scanning.insert(dir.clone());
            let tx = self.done_tx.clone();
            std::thread::spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| workspace::scan(&dir)));
                let result = match result {
                    Ok(r) => r.map(Arc::new),
                    Err(p) => Err(format!("scan panicked: {}", panic_message(&p))),
                };
                let _ = tx.send(Done::Scanned(dir, result));
            });
        }
        let due: Vec<Uri> = self
            .pending
            .iter()
            .filter(|(u, t)| **t <= now && !self.running.contains(*u))
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            let Some(doc) = self.docs.get(&uri) else {
                self.pending.remove(&uri);
                continue;
            };
            if self.scanning_under(&doc.path) {
                continue;
            }
            self.pending.remove(&uri);
            if is_config(&doc.path) {
                continue;
            }
            self.running.insert(uri.clone());
            let (path, text, version) = (doc.path.clone(), Arc::clone(&doc.text), doc.version);
            let configs = Arc::clone(&self.configs);
            let beside = self.beside(&path);
            let tx = self.done_tx.clone();
            std::thread::spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    analysis::analyse(&path, text, version, &configs, beside.as_ref())
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
        let quiet = self.scanning.is_empty() && self.rescan.is_empty();
        if quiet && !self.ws_pushing && self.ws_due.is_some_and(|t| t <= now) {
            self.ws_due = None;
            self.start_workspace();
        }
    }

    fn finished(&mut self, done: Done) {
        let (uri, a) = match done {
            Done::Analysed(uri, a) => (uri, a),
            Done::Failed(uri) => {
                self.running.remove(&uri);
                return;
            }
            Done::Scanned(dir, result) => return self.scanned(dir, result),
            Done::Workspace(list) => return self.pushed_workspace(list),
        };
        self.running.remove(&uri);
        self.store(&uri, &a);
        let Some(doc) = self.docs.get(&uri) else {
            return;
        };
        // What the document tells the others changed: lint them again.
        if let (Some(summary), true) = (&a.summary, a.version == doc.version) {
            let path = doc.path.clone();
            let before = self.open_summaries.get(&path).cloned().or_else(|| {
                self.root_of(&path)
                    .and_then(|r| r.files.get(&path))
                    .and_then(|w| w.summary.clone())
            });
            self.open_summaries
                .insert(path.clone(), Arc::clone(summary));
            if !before.is_some_and(|b| workspace::same_for_others(&b, summary)) && a.root.is_some()
            {
                self.relint_beside(&path);
            }
        }
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
        if req.method == r::WorkspaceDiagnosticRequest::METHOD {
            if !self.workspace_pull {
                // The client pulls from now on: what was pushed goes.
                self.workspace_pull = true;
                for uri in std::mem::take(&mut self.ws_pushed) {
                    self.publish(uri, Vec::new(), None);
                }
            }
            self.workspace_request(req);
            return;
        }
        let reply = self.track(req.id.clone());
        self.dispatch(req, reply);
    }

    /// Answers a request on a document on a worker thread (or holds it while the document's
    /// folder is scanned).
    fn dispatch(&mut self, req: Request, reply: Reply) {
        let uri = req
            .params
            .pointer("/textDocument/uri")
            .and_then(|u| serde_json::from_value::<Uri>(u.clone()).ok());
        let Some(uri) = uri else {
            let message = format!("unsupported request {}", req.method);
            let response = Response::new_err(req.id, ErrorCode::MethodNotFound as i32, message);
            reply.send(&self.sender, response);
            return;
        };
        let Some(doc) = self.docs.get(&uri) else {
            let message = "the document is not open".into();
            let response = Response::new_err(req.id, ErrorCode::InvalidParams as i32, message);
            reply.send(&self.sender, response);
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
            let message = format!("unsupported request {method}");
            let response = Response::new_err(req.id, ErrorCode::MethodNotFound as i32, message);
            reply.send(&self.sender, response);
            return;
        }
        if self.scanning_under(&doc.path) {
            self.held.push((req, reply));
            return;
        }
        let cached = self
            .analyses
            .get(&uri)
            .filter(|a| a.version == doc.version)
            .cloned();
        let (path, text, version) = (doc.path.clone(), Arc::clone(&doc.text), doc.version);
        let configs = Arc::clone(&self.configs);
        let beside = match cached {
            Some(_) => None,
            None => self.beside(&path),
        };
        let done = self.done_tx.clone();
        spawn_answer(self.sender.clone(), reply, move || {
            guarded(req.id, &method, || {
                let a = match cached {
                    Some(a) => a,
                    None => {
                        let a = analysis::analyse(&path, text, version, &configs, beside.as_ref());
                        let a = Arc::new(a);
                        let _ = done.send(Done::Analysed(uri.clone(), Arc::clone(&a)));
                        a
                    }
                };
                features::answer(&method, req.params, &a, &uri)
            })
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

    #[test]
    fn a_cancelled_request_is_answered_once_and_its_work_skipped() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let reply = Reply::default();
        reply.cancel(&tx, RequestId::from(1));
        let ran = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&ran);
        spawn_answer(tx.clone(), reply.clone(), move || {
            flag.store(true, Ordering::SeqCst);
            Response::new_ok(RequestId::from(1), json!(null))
        });
        // A worker that has started answers; a later cancellation sends nothing.
        let started = Reply::default();
        spawn_answer(tx.clone(), started.clone(), || {
            Response::new_ok(RequestId::from(2), json!(2))
        });
        let Ok(Message::Response(first)) = rx.recv_timeout(Duration::from_secs(60)) else {
            panic!("a response");
        };
        assert_eq!(
            first.error.map(|e| e.code),
            Some(ErrorCode::RequestCanceled as i32)
        );
        let Ok(Message::Response(second)) = rx.recv_timeout(Duration::from_secs(60)) else {
            panic!("a response");
        };
        assert_eq!(second.result, Some(json!(2)));
        started.cancel(&tx, RequestId::from(2));
        drop(tx);
        assert!(rx.recv().is_err(), "nothing more is sent");
        assert!(!ran.load(Ordering::SeqCst), "the cancelled work never ran");
    }
}
