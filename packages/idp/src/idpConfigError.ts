/** The identity provider cannot start with the configuration it was given. */
export class IdpConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
