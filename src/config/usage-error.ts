/** A problem with the user's arguments or configuration: the run ends with exit code 2. */
export class UsageError extends Error {}
