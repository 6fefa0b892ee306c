//! The server's workspace folders: scanning them, linting documents beside their files,
//! and the diagnostics of the files that are not open (pushed, or pulled with
//! `workspace/diagnostic`).

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use lsp_server::{ErrorCode, Request, RequestId, Response};
use lsp_types::request::Request as _;
use lsp_types::{request as r, Uri};
use serde_json::{json, Value};

use super::analysis::{self, Beside};
use super::text::{path_to_uri, Lines};
use super::workspace::{OpenSummaries, Root};
use super::{panic_message, Done, Reply, Server};

impl Server {
    /// A new workspace folder: scanned now.
    pub(super) fn add_folder(&mut self, dir: PathBuf) {
        if !self.folders.contains(&dir) {
            self.folders.push(dir.clone());
        }
        self.rescan.insert(dir, Instant::now());
    }

    /// A folder left the workspace: its documents are linted alone again.
    pub(super) fn remove_folder(&mut self, dir: &Path) {
        self.folders.retain(|f| f != dir);
        self.rescan.remove(dir);
        if self.roots.remove(dir).is_some() {
            self.relint_under(dir);
            self.workspace_changed();
        }
    }

    /// A file changed on disk: the folders holding it are scanned again (soon: changes come
    /// in bursts).
    pub(super) fn rescan_under(&mut self, path: &Path) {
        let due = Instant::now() + self.options.debounce;
        for f in &self.folders {
            if path.starts_with(f) {
                self.rescan.entry(f.clone()).or_insert(due);
            }
        }
    }

    /// Lints again every open document under `dir`.
    pub(super) fn relint_under(&mut self, dir: &Path) {
        let now = Instant::now();
        for (uri, doc) in &self.docs {
            if doc.path.starts_with(dir) {
                self.pending.insert(uri.clone(), now);
                self.analyses.remove(uri);
            }
        }
    }

    /// Lints again (after the debounce) the open documents of the folder of `path` but itself:
    /// what `path` tells the cross-document rules changed.
    pub(super) fn relint_beside(&mut self, path: &Path) {
        let Some(root) = self.root_of(path).map(|r| r.dir.clone()) else {
            return;
        };
        let due = Instant::now() + self.options.debounce;
        for (uri, doc) in &self.docs {
            if doc.path != path && doc.path.starts_with(&root) {
                self.pending.entry(uri.clone()).or_insert(due);
                self.analyses.remove(uri);
            }
        }
        self.workspace_changed();
    }

    /// The scanned folder a path belongs to: the innermost one holding it.
    pub(super) fn root_of(&self, path: &Path) -> Option<&Arc<Root>> {
        self.roots
            .values()
            .filter(|r| path.starts_with(&r.dir))
            .max_by_key(|r| r.dir.components().count())
    }

    /// Whether a path is in a folder being scanned (or about to be).
    pub(super) fn scanning_under(&self, path: &Path) -> bool {
        self.folders.iter().any(|f| {
            path.starts_with(f) && (self.scanning.contains(f) || self.rescan.contains_key(f))
        })
    }

    /// The workspace around a document, for its lint.
    pub(super) fn beside(&self, path: &Path) -> Option<Beside> {
        self.root_of(path).map(|root| Beside {
            root: Arc::clone(root),
            open: self.open_summaries.clone(),
        })
    }

    /// The diagnostics of files that are not open may have changed: compute them again soon.
    pub(super) fn workspace_changed(&mut self) {
        self.ws_gen += 1;
        // Every file that is not open is linted again: wait longer than for one document.
        if self.ws_due.is_none() {
            self.ws_due = Some(Instant::now() + self.options.debounce * 4);
        }
    }

    /// The paths of the open documents.
    pub(super) fn opened(&self) -> HashSet<PathBuf> {
        self.docs.values().map(|d| d.path.clone()).collect()
    }

    /// Computes the diagnostics of the files that are not open: pushed, or the answer to the
    /// parked `workspace/diagnostic` requests.
    pub(super) fn start_workspace(&mut self) {
        if self.roots.is_empty() && self.ws_pushed.is_empty() && self.parked.is_empty() {
            return;
        }
        let roots: Vec<Arc<Root>> = self.roots.values().cloned().collect();
        let open = self.open_summaries.clone();
        let opened = self.opened();
        if self.workspace_pull {
            let waiting = std::mem::take(&mut self.parked);
            if waiting.is_empty() {
                return;
            }
            self.answer_workspace(waiting, roots, open, opened);
            return;
        }
        self.ws_pushing = true;
        let tx = self.done_tx.clone();
        std::thread::spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| {
                workspace_diagnostics(&roots, &open, &opened)
            }));
            let list = result.unwrap_or_else(|p| {
                eprintln!("sopkit lsp: workspace lint panicked: {}", panic_message(&p));
                Vec::new()
            });
            let _ = tx.send(Done::Workspace(list));
        });
    }

    /// Answers `workspace/diagnostic` requests with every file that is not open.
    pub(super) fn answer_workspace(
        &mut self,
        waiting: Vec<(RequestId, Reply)>,
        roots: Vec<Arc<Root>>,
        open: OpenSummaries,
        opened: HashSet<PathBuf>,
    ) {
        self.answered_gen = Some(self.ws_gen);
        let result_id = self.ws_gen.to_string();
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            if waiting.iter().all(|(_, r)| r.is_cancelled()) {
                return;
            }
            let items = catch_unwind(AssertUnwindSafe(|| {
                workspace_diagnostics(&roots, &open, &opened)
                    .into_iter()
                    .map(|(uri, items)| {
                        json!({
                            "uri": uri, "version": null, "kind": "full",
                            "resultId": result_id, "items": items
                        })
                    })
                    .collect::<Vec<_>>()
            }));
            for (id, reply) in waiting {
                let response = match &items {
                    Ok(items) => Response::new_ok(id, json!({ "items": items })),
                    Err(p) => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!(
                            "sopkit failed on workspace/diagnostic: {}",
                            panic_message(p)
                        ),
                    ),
                };
                reply.send(&sender, response);
            }
        });
    }

    /// A `workspace/diagnostic` request: answered now when the workspace changed since the
    /// last answer, else held until it changes.
    pub(super) fn workspace_request(&mut self, req: Request) {
        let reply = self.track(req.id.clone());
        self.parked.push((req.id, reply));
        if self.answered_gen != Some(self.ws_gen)
            && self.rescan.is_empty()
            && self.scanning.is_empty()
        {
            self.ws_due = None;
            self.start_workspace();
        }
    }

    /// A folder scanned: its documents are linted again beside its files, held requests are
    /// answered, and the client pulls again.
    pub(super) fn scanned(&mut self, dir: PathBuf, result: Result<Arc<Root>, String>) {
        self.scanning.remove(&dir);
        if self.folders.contains(&dir) {
            match result {
                Ok(root) => {
                    self.roots.insert(dir.clone(), root);
                }
                Err(e) => {
                    // Each document shows the configuration's problem, linted alone.
                    eprintln!("sopkit lsp: cannot scan {}: {e}", dir.display());
                    self.roots.remove(&dir);
                }
            }
        }
        self.relint_under(&dir);
        self.workspace_changed();
        for (req, reply) in std::mem::take(&mut self.held) {
            if !reply.is_answered() {
                self.dispatch(req, reply);
            }
        }
        if self.pull && self.refresh {
            self.client_request(r::WorkspaceDiagnosticRefresh::METHOD, Value::Null);
        }
    }

    /// Pushes the diagnostics of the files that are not open, and clears those of files that
    /// left the workspace.
    pub(super) fn pushed_workspace(&mut self, list: Vec<(Uri, Vec<lsp_types::Diagnostic>)>) {
        self.ws_pushing = false;
        if self.workspace_pull {
            return;
        }
        let before: Vec<Uri> = self.ws_pushed.drain().collect();
        for (uri, diagnostics) in list {
            if self.docs.contains_key(&uri) {
                continue;
            }
            self.ws_pushed.insert(uri.clone());
            self.publish(uri, diagnostics, None);
        }
        for uri in before {
            if !self.ws_pushed.contains(&uri) && !self.docs.contains_key(&uri) {
                self.publish(uri, Vec::new(), None);
            }
        }
    }
}

/// The diagnostics of every file of the scanned folders that is not open, as `sopkit lint
/// FOLDER` reports them, in LSP's terms; each file once, folders in order.
fn workspace_diagnostics(
    roots: &[Arc<Root>],
    open: &OpenSummaries,
    opened: &HashSet<PathBuf>,
) -> Vec<(Uri, Vec<lsp_types::Diagnostic>)> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for root in roots {
        for (path, text, diagnostics) in root.unopened(open, opened) {
            let Some(uri) = path_to_uri(&path) else {
                continue;
            };
            if !seen.insert(uri.as_str().to_string()) {
                continue;
            }
            let lines = Lines::new(&text);
            let items = diagnostics
                .iter()
                .map(|d| analysis::to_lsp(d, &lines))
                .collect();
            out.push((uri, items));
        }
    }
    out
}
