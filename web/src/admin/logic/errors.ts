/** errorText is what the console shows for a failed call: the server's localised detail when there is one. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
