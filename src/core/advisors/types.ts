// Data-processing advisors (issue 20): findings that are not kernels — an IO-bound loop wants
// concurrency, not a worker. Plain JSON data, like the analysis's loop facts.

/** One replacement in a file's text (UTF-16 offsets, `end` exclusive). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}
