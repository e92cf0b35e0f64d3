// What a tree view shows, as plain data, so that end-to-end tests read the views as a person sees them.
import * as vscode from 'vscode';

export interface ShownItem {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  /** the command a click runs, with its argument */
  command?: { command: string; argument: unknown };
  children?: ShownItem[];
}

/** One tree item as shown: label, description, tooltip text, theme icon, the click's command. */
export function shownItem(item: vscode.TreeItem, argument: unknown, children: ShownItem[]): ShownItem {
  return {
    label: String(typeof item.label === 'object' ? item.label.label : item.label),
    description: typeof item.description === 'string' ? item.description : undefined,
    tooltip: typeof item.tooltip === 'object' ? item.tooltip.value : item.tooltip,
    icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
    command: item.command ? { command: item.command.command, argument } : undefined,
    children: children.length ? children : undefined,
  };
}

/**
 * A whole tree as shown, from a provider whose items and children are at hand (not promised): each
 * item with its click's argument.
 */
export function shownTree<T>(provider: { getTreeItem(el: T): vscode.TreeItem; getChildren(el?: T): T[] }): ShownItem[] {
  const toShown = (el: T): ShownItem => {
    const item = provider.getTreeItem(el);
    return shownItem(item, item.command?.arguments?.[0], provider.getChildren(el).map(toShown));
  };
  return provider.getChildren().map(toShown);
}
