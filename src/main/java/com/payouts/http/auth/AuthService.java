package com.payouts.http.auth;

import com.payouts.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sign-in decisions: passwords, throttling, sessions and API tokens. Knows nothing of HTTP or the
 * event bus; password hashing runs on worker threads.
 */
public class AuthService {
  public static final Duration SESSION_TTL = Duration.ofHours(12);
  public static final int MIN_PASSWORD_LENGTH = 12;
  public static final int GENERATED_PASSWORD_LENGTH = 20;

  /** A new API token: the raw secret is returned here once and stored only as a hash. */
  public record IssuedToken(ApiToken info, String token) {}

  private final Vertx vertx;
  private final AuthRepository repo;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;

  public AuthService(Vertx vertx, AuthRepository repo) {
    this(vertx, repo, new PasswordHasher(), new LoginThrottle());
  }

  public AuthService(Vertx vertx, AuthRepository repo, PasswordHasher hasher, LoginThrottle throttle) {
    this.vertx = vertx;
    this.repo = repo;
    this.hasher = hasher;
    this.throttle = throttle;
  }

  /**
   * A new session for a right email and password. Fails with 401 {@code invalid_credentials} for a
   * wrong email or password alike, or {@link LoginThrottle.Blocked} once the failure limit is reached.
   */
  public Future<Session> login(String email, String password, String clientIp) {
    long ticket;
    try {
      ticket = throttle.acquire(email, clientIp);
    } catch (LoginThrottle.Blocked blocked) {
      return Future.failedFuture(blocked);
    }
    return repo.findLogin(email)
        .compose(user -> checkPassword(password, user))
        .compose(user -> {
          throttle.succeeded(email, clientIp, ticket);
          return startSession(user);
        })
        .onFailure(err -> {
          if (!isInvalidCredentials(err)) throttle.release(email, clientIp, ticket);
        });
  }

  /** Ends the session; true when there was one. */
  public Future<Boolean> logout(String sessionToken) {
    if (!Secrets.isToken(sessionToken)) return Future.succeededFuture(false);
    return repo.deleteSession(sessionId(sessionToken));
  }

  /** The live session of a cookie token, with its CSRF token. */
  public Future<Optional<Session>> authenticateSession(String sessionToken) {
    if (!Secrets.isToken(sessionToken)) return Future.succeededFuture(Optional.empty());
    return repo.findSession(sessionId(sessionToken))
        .map(row -> row.map(r -> new Session(sessionToken, r.csrfToken(), r.principal())));
  }

  /** The user of a live, unrevoked API token. */
  public Future<Optional<Principal>> authenticateToken(String apiToken) {
    if (!Secrets.isApiToken(apiToken)) return Future.succeededFuture(Optional.empty());
    return repo.findUserByToken(Secrets.sha256Hex(apiToken));
  }

  /** For the SockJS bridge: the session named by a raw Cookie header, if it is live. */
  public Future<Optional<Principal>> sessionFromCookieHeader(String cookieHeader) {
    String token = SessionCookie.fromHeader(cookieHeader);
    return token == null ? Future.succeededFuture(Optional.empty())
        : authenticateSession(token).map(s -> s.map(Session::principal));
  }

  public Future<IssuedToken> createToken(long userId, String name) {
    String token = Secrets.apiToken();
    return repo.createToken(userId, name, Secrets.sha256Hex(token)).map(info -> new IssuedToken(info, token));
  }

  public Future<List<ApiToken>> listTokens(long userId) {
    return repo.listTokens(userId);
  }

  /** False when the token is not the user's or is already revoked. */
  public Future<Boolean> revokeToken(long tokenId, long userId) {
    return repo.revokeToken(tokenId, userId);
  }

  /**
   * Creates the staff user {@code email} unless one exists. Without a password, one is generated
   * and returned so the caller can show it once; otherwise the result is empty.
   */
  public Future<Optional<String>> bootstrapAdmin(String email, String passwordOrNull) {
    if (passwordOrNull != null && passwordOrNull.length() < MIN_PASSWORD_LENGTH) {
      return Future.failedFuture(new IllegalArgumentException(
          "the admin password must have at least " + MIN_PASSWORD_LENGTH + " characters"));
    }
    String password = passwordOrNull != null ? passwordOrNull : Secrets.password(GENERATED_PASSWORD_LENGTH);
    Optional<String> generated = passwordOrNull == null ? Optional.of(password) : Optional.empty();
    return repo.findLogin(email).compose(existing -> existing.isPresent()
        ? Future.succeededFuture(Optional.<String>empty())
        : vertx.executeBlocking(() -> hasher.hash(password), false)
            .compose(hash -> repo.ensureAdmin(email, hash))
            .map(created -> created ? generated : Optional.<String>empty()));
  }

  /** The sessions row id of a cookie token: its SHA-256, so the table never holds the token. */
  public static String sessionId(String sessionToken) {
    return Secrets.sha256Hex(sessionToken);
  }

  private Future<AuthRepository.UserLogin> checkPassword(String password, Optional<AuthRepository.UserLogin> user) {
    // An unknown email still costs one full derivation: no timing difference to probe.
    String stored = user.map(AuthRepository.UserLogin::passwordHash).orElse(null);
    return vertx.executeBlocking(() -> hasher.verify(password, stored), false)
        .compose(ok -> ok && user.isPresent() ? Future.succeededFuture(user.get()) : Future.failedFuture(invalid()));
  }

  private Future<Session> startSession(AuthRepository.UserLogin user) {
    String token = Secrets.token();
    String csrf = Secrets.token();
    String id = sessionId(token);
    return repo.createSession(id, user.id(), csrf, (int) SESSION_TTL.toSeconds())
        .map(v -> new Session(token, csrf, new Principal(user.id(), user.email(), user.name(), user.staff(), id)));
  }

  private static ApiError invalid() {
    return new ApiError(401, "invalid_credentials", null, "the email or password is not correct");
  }

  private static boolean isInvalidCredentials(Throwable err) {
    return err instanceof ApiError e && e.status() == 401;
  }
}
