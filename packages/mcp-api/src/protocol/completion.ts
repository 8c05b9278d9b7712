// Argument completion (`completion/complete`).

/** What is being completed: a prompt's argument or a resource template's variable. */
export type CompletionReference =
  | { type: 'ref/prompt'; name: string }
  | { type: 'ref/resource'; uri: string };

export interface CompletionArgument {
  name: string;
  value: string;
}

export interface Completion {
  values: string[];
  total?: number;
  hasMore?: boolean;
}
