// Starts `sopkit lsp` for Markdown files; everything else is the server's.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration("sopkit").get<string>("path") || "sopkit";
  const serverOptions: ServerOptions = { command, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ],
  };
  client = new LanguageClient("sopkit", "sopkit", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("sopkit.path") && client) {
        await client.stop();
        client = new LanguageClient("sopkit", "sopkit", { command: vscode.workspace.getConfiguration("sopkit").get<string>("path") || "sopkit", args: ["lsp"] }, clientOptions);
        await client.start();
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
