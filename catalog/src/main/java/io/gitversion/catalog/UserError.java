package io.gitversion.catalog;

/**
 * A failure the user caused and can fix (a bad URL, an unreachable server, an unknown object). Its message is one
 * line meant for the user; the CLI prints it and exits with code 2.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
