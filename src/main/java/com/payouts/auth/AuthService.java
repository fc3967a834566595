package com.payouts.auth;


import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sign-in decisions: passwords, throttling, sessions, API tokens and their audit. Knows nothing of
 * HTTP or the event bus; password hashing runs on worker threads.
 */
public class AuthService {
  public static final Duration SESSION_TTL = Duration.ofHours(12);
  public static final int MIN_PASSWORD_LENGTH = 12;
  public static final int GENERATED_PASSWORD_LENGTH = 20;
  /** An API token's life when none is asked for, and the most that may be asked for. */
  public static final int DEFAULT_TOKEN_DAYS = 90;
  public static final int MAX_TOKEN_DAYS = 365;
  /**
   * Password checks in flight at once on one node. Each costs a core about a third of a second
   * (PBKDF2, 600,000 rounds) on the shared worker pool; past this many, sign-in answers 503 at once
   * instead of queueing strangers' guesses in front of everything else that pool runs.
   */
  public static final int MAX_PASSWORD_CHECKS = 8;

  /** A new API token: the raw secret is returned here once and stored only as a hash. */
  public record IssuedToken(ApiToken info, String token) {}

  private final Vertx vertx;
  private final AuthRepository repo;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final AtomicInteger checking = new AtomicInteger();

  public AuthService(Vertx vertx, AuthRepository repo, LoginThrottle throttle) {
    this(vertx, repo, new PasswordHasher(), throttle);
  }

  public AuthService(Vertx vertx, AuthRepository repo, PasswordHasher hasher, LoginThrottle throttle) {
    this.vertx = vertx;
    this.repo = repo;
    this.hasher = hasher;
    this.throttle = throttle;
  }

  /**
   * A new session for a right email and password. Fails with 401 {@code invalid_credentials} for a
   * wrong email or password alike, {@link LoginThrottle.Blocked} while this email and address (or
   * this address) must wait, or 503 when the throttle's Redis cannot count the attempt. Every
   * attempt that tested a password is audited.
   */
  public Future<StaffSession> login(String email, String password, String clientAddress) {
    return throttle.acquire(email, clientAddress)
        .recover(err -> Future.failedFuture(err instanceof LoginThrottle.Blocked ? err : AuthException.unavailable()))
        .compose(ticket -> repo.findLogin(email)
            .compose(user -> boundedCheck(password, user).transform(checked -> {
              if (checked.succeeded()) {
                AuthRepository.UserLogin u = checked.result();
                return throttle.succeeded(ticket).otherwiseEmpty()
                    .compose(x -> repo.recordLogin(AuthEvent.LOGIN_SUCCEEDED, u.id(), u.email(), clientAddress, null))
                    .compose(x -> startSession(u));
              }
              if (!isInvalidCredentials(checked.cause())) return Future.failedFuture(checked.cause());
              Long known = user.map(AuthRepository.UserLogin::id).orElse(null);
              return repo.recordLogin(AuthEvent.LOGIN_FAILED, known, email, clientAddress,
                      user.isPresent() ? "wrong password" : "no such user")
                  .transform(x -> Future.<StaffSession>failedFuture(checked.cause()));
            }))
            .onFailure(err -> {
              if (!isInvalidCredentials(err)) throttle.release(ticket);
            }));
  }

  /** Ends the session (and the tokens created in it); true when there was one. */
  public Future<Boolean> logout(String sessionToken, String clientAddress) {
    return endSession(sessionToken, clientAddress, null);
  }

  /** As logout, with why it ended (e.g. replaced by a new sign-in) for the audit. */
  public Future<Boolean> endSession(String sessionToken, String clientAddress, String detail) {
    if (!Secrets.isToken(sessionToken)) return Future.succeededFuture(false);
    return repo.endSession(sessionId(sessionToken), clientAddress, detail);
  }

  /** The live session of a cookie token, with its CSRF token. */
  public Future<Optional<StaffSession>> authenticateSession(String sessionToken) {
    if (!Secrets.isToken(sessionToken)) return Future.succeededFuture(Optional.empty());
    return repo.findSession(sessionId(sessionToken))
        .map(row -> row.map(r -> new StaffSession(sessionToken, r.csrfToken(), r.principal())));
  }

  /** The user of a live, unrevoked, unexpired API token. */
  public Future<Optional<Principal>> authenticateToken(String apiToken) {
    if (!Secrets.isApiToken(apiToken)) return Future.succeededFuture(Optional.empty());
    return repo.findUserByToken(Secrets.sha256Hex(apiToken));
  }

  /** The principal of a live session's cookie token (for the SockJS bridge, which reads the cookie itself). */
  public Future<Optional<Principal>> sessionPrincipal(String sessionToken) {
    return authenticateSession(sessionToken).map(s -> s.map(StaffSession::principal));
  }

  /**
   * A token for the creator's user that lives {@code days} (default {@link #DEFAULT_TOKEN_DAYS}, at
   * most {@link #MAX_TOKEN_DAYS}) and never longer than the token or session it is created with:
   * ending that one ends this one too.
   */
  public Future<IssuedToken> createToken(Principal creator, String name, Integer days, String clientAddress) {
    int life = days == null ? DEFAULT_TOKEN_DAYS : days;
    if (life < 1 || life > MAX_TOKEN_DAYS) {
      return Future.failedFuture(new AuthException(AuthException.Kind.INVALID, "expiresInDays", "must be a whole number of days from 1 to " + MAX_TOKEN_DAYS));
    }
    String token = Secrets.apiToken();
    return repo.createToken(creator.userId(), creator.email(), name, Secrets.sha256Hex(token), life, clientAddress,
            creator.tokenId(), creator.sessionId())
        .compose(info -> info.isPresent() ? Future.succeededFuture(new IssuedToken(info.get(), token))
            : Future.failedFuture(new AuthException(AuthException.Kind.UNAUTHENTICATED, null, "the token or session creating this one has ended")));
  }

  /** For the command line: a token of the user's own, created by nobody else, so capped by nothing but its days. */
  public Future<IssuedToken> createToken(long userId, String email, String name, Integer days) {
    return createToken(new Principal(userId, email, null, true, null, null), name, days, AuthEvent.LOCAL);
  }

  /** For the command line: a token of the staff user with this email, as {@link #createToken(long, String, String, Integer)}. */
  public Future<IssuedToken> createTokenFor(String email, String name, Integer days) {
    return repo.findLogin(email).compose(user -> user.isEmpty()
        ? Future.failedFuture(new AuthException(AuthException.Kind.UNAUTHENTICATED, null, "no staff user " + email))
        : createToken(user.get().id(), user.get().email(), name, days));
  }

  /** The caller's live tokens, or with {@code all} everyone's (for those who may manage every token). */
  public Future<List<ApiToken>> listTokens(Principal who, boolean all) {
    if (all && !who.mayManageEveryToken()) return Future.failedFuture(forbiddenAll());
    return repo.listTokens(all ? null : who.userId());
  }

  /** Revokes the token and those made with it; false when it is not one the caller may revoke, or already revoked. */
  public Future<Boolean> revokeToken(long tokenId, Principal who, String clientAddress) {
    return repo.revokeToken(tokenId, who.mayManageEveryToken() ? null : who.userId(), who, clientAddress);
  }

  /** The sign-in audit, newest first. */
  public Future<List<AuthEvent>> authEvents(Long before, int limit) {
    return repo.authEvents(before, limit);
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

  /** A new staff user and the password they were given: the one asked for, or a generated one (shown once). */
  public record NewStaff(StaffMember member, String password) {}

  /**
   * A new staff user with {@code role}. Without a password one is generated and returned once.
   * 409 ({@code CONFLICT}) when the email is taken, 400 for a short password or a blank name.
   */
  public Future<NewStaff> createStaff(String email, String name, StaffRole role, String passwordOrNull) {
    if (email == null || !email.contains("@") || email.length() > 320) {
      return Future.failedFuture(new AuthException(AuthException.Kind.INVALID, "email", "must be an email address"));
    }
    if (name == null || name.isBlank() || name.length() > 200) {
      return Future.failedFuture(new AuthException(AuthException.Kind.INVALID, "name", "must be 1 to 200 characters"));
    }
    if (passwordOrNull != null && (passwordOrNull.length() < MIN_PASSWORD_LENGTH || passwordOrNull.length() > 1024)) {
      return Future.failedFuture(new AuthException(AuthException.Kind.INVALID, "password",
          "must have " + MIN_PASSWORD_LENGTH + " to 1024 characters"));
    }
    String password = passwordOrNull != null ? passwordOrNull : Secrets.password(GENERATED_PASSWORD_LENGTH);
    return vertx.executeBlocking(() -> hasher.hash(password), false)
        .compose(hash -> repo.createStaff(email.strip(), name.strip(), hash, role))
        .compose(created -> created.isPresent() ? Future.succeededFuture(new NewStaff(created.get(), password))
            : Future.failedFuture(new AuthException(AuthException.Kind.CONFLICT, "email", "is taken by another user")));
  }

  public Future<List<StaffMember>> listStaff() {
    return repo.listStaff();
  }

  /**
   * Changes a staff user's role and/or disables (or enables) them; a disabled user's sessions end
   * here and their tokens stop working at once. The last active admin keeps their role (409).
   */
  public Future<AuthRepository.StaffChange> updateStaff(long id, StaffRole role, Boolean disabled) {
    boolean demotesAnAdmin = (role != null && role != StaffRole.ADMIN) || Boolean.TRUE.equals(disabled);
    Future<Long> others = demotesAnAdmin ? repo.otherActiveAdmins(id) : Future.succeededFuture(1L);
    return others.compose(n -> repo.listStaff().compose(all -> {
      StaffMember current = all.stream().filter(m -> m.id() == id).findFirst().orElse(null);
      if (current == null) {
        return Future.failedFuture(new AuthException(AuthException.Kind.NOT_FOUND, "id", "no such staff user: " + id));
      }
      if (n == 0 && current.role() == StaffRole.ADMIN && current.disabledAt() == null) {
        return Future.failedFuture(new AuthException(AuthException.Kind.CONFLICT, null,
            "staff user " + id + " is the last active admin; make another admin first"));
      }
      return repo.updateStaff(id, role, disabled).map(changed -> changed.orElseThrow(() ->
          new AuthException(AuthException.Kind.NOT_FOUND, "id", "no such staff user: " + id)));
    }));
  }

  /** The sessions row id of a cookie token: its SHA-256, so the table never holds the token. */
  public static String sessionId(String sessionToken) {
    return Secrets.sha256Hex(sessionToken);
  }

  /** A password check, unless too many are under way already (503; the attempt is then not counted). */
  private Future<AuthRepository.UserLogin> boundedCheck(String password, Optional<AuthRepository.UserLogin> user) {
    if (checking.incrementAndGet() > MAX_PASSWORD_CHECKS) {
      checking.decrementAndGet();
      return Future.failedFuture(AuthException.unavailable());
    }
    return checkPassword(password, user).onComplete(ar -> checking.decrementAndGet());
  }

  private Future<AuthRepository.UserLogin> checkPassword(String password, Optional<AuthRepository.UserLogin> user) {
    // An unknown email still costs one full derivation: no timing difference to probe.
    String stored = user.map(AuthRepository.UserLogin::passwordHash).orElse(null);
    return vertx.executeBlocking(() -> hasher.verify(password, stored), false)
        .compose(ok -> ok && user.isPresent() ? Future.succeededFuture(user.get()) : Future.failedFuture(invalid()));
  }

  private Future<StaffSession> startSession(AuthRepository.UserLogin user) {
    String token = Secrets.token();
    String csrf = Secrets.token();
    String id = sessionId(token);
    return repo.createSession(id, user.id(), csrf, (int) SESSION_TTL.toSeconds())
        .map(v -> new StaffSession(token, csrf, new Principal(user.id(), user.email(), user.name(), user.staff(), id, null,
            user.role())));
  }

  private static AuthException invalid() {
    return new AuthException(AuthException.Kind.INVALID_CREDENTIALS, null, "the email or password is not correct");
  }

  private static AuthException forbiddenAll() {
    return new AuthException(AuthException.Kind.FORBIDDEN, "all", "only an admin may list every token");
  }

  private static boolean isInvalidCredentials(Throwable err) {
    return err instanceof AuthException e && e.kind() == AuthException.Kind.INVALID_CREDENTIALS;
  }
}
