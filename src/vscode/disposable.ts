import * as vscode from 'vscode';

/** Owns what it registers and disposes it all at once. */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];

  protected own<T extends vscode.Disposable>(d: T): T {
    this.owned.push(d);
    return d;
  }

  dispose(): void {
    while (this.owned.length) this.owned.pop()?.dispose();
  }
}
