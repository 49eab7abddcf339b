/** A token could not be obtained; `error` is the OAuth error code, or `idp_unreachable`. */
export class TokenRequestError extends Error {
  readonly error: string;
  /** The HTTP status the identity provider answered with; undefined when it was not reached. */
  readonly status: number | undefined;

  constructor(options: { error: string; status: number | undefined; message: string; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.name = new.target.name;
    this.error = options.error;
    this.status = options.status;
  }
}
