using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dealwire.Security;

public enum TokenError { None, Missing, Malformed, Expired, NotYetValid, BadSignature }

/// <summary>The outcome of checking a token: the identity, or why it was refused.</summary>
public readonly record struct TokenValidation(SessionIdentity? Identity, TokenError Error, string Message)
{
    public bool IsValid => Identity is not null;
}

/// <summary>
/// Issues and verifies the HS256 JWTs of the Server API (<c>__token</c>). Claims: <c>type</c>
/// (SESSION_*), <c>id</c>, <c>name</c>, <c>groups</c> (mask), <c>rights</c> (comma list), <c>reg</c>
/// (user tokens: the registration sequence of the account instance they were issued for), <c>nbf</c>, <c>exp</c>.
/// </summary>
public sealed class TokenService
{
    public const string Issuer = "dealwire";

    /// <summary>
    /// Tolerance on <c>nbf</c> for a token minted on a machine whose clock runs slightly ahead. Expiry gets
    /// none: <c>exp</c> is compared exactly, so a command and a connection's expiry timer agree to the millisecond.
    /// </summary>
    public static readonly TimeSpan NotBeforeSkew = TimeSpan.FromSeconds(30);

    private readonly SymmetricSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeProvider _time;
    // Built once: the parameters are read-only during validation and shared by every command.
    private readonly TokenValidationParameters _parameters;

    public TokenService(byte[] signingKey, TimeProvider? time = null)
    {
        if (signingKey.Length < 32) throw new ArgumentException("The signing key must be at least 256 bits.", nameof(signingKey));
        _key = new SymmetricSecurityKey(signingKey);
        _time = time ?? TimeProvider.System;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidateAudience = false,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = NotBeforeSkew,
            // The library's own lifetime check reads the wall clock; this one reads the server's TimeProvider.
            LifetimeValidator = ValidateLifetime,
        };
    }

    /// <summary>Reads the signing key from <c>keys/jwt-signing.key</c> under the data directory, creating it on first use.</summary>
    public static byte[] LoadOrCreateKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "keys", "jwt-signing.key");
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        SecretFile.WriteAllText(path, Convert.ToBase64String(key));
        return key;
    }

    public string Issue(SessionIdentity identity, TimeSpan lifetime, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object>
        {
            ["type"] = (int)identity.Type,
            ["id"] = identity.Id,
            ["name"] = identity.Name,
            ["groups"] = identity.GroupMask,
            ["rights"] = string.Join(',', identity.Rights.Order(StringComparer.Ordinal)),
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
        };
        if (identity.Type == SessionType.User) claims["reg"] = identity.RegistrationSequence;
        var expires = now.Add(lifetime).UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            // The library refuses to mint nbf >= exp (tests mint already-expired tokens on purpose).
            NotBefore = Min(now.UtcDateTime.AddSeconds(-1), expires.AddSeconds(-1)),
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>Verifies signature, issuer, algorithm, <c>nbf</c> and <c>exp</c>, then reads the identity.</summary>
    public async ValueTask<TokenValidation> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return Fail(TokenError.Missing, "__token is required");
        // Three parts only: a five-part JWE never reaches the library (old JWE decompression issue).
        if (token.Length > 8192 || token.AsSpan().Count('.') != 2) return Fail(TokenError.Malformed, "malformed token");

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            return Fail(TokenError.Malformed, "malformed token");
        }
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => Fail(TokenError.BadSignature, "invalid token signature"),
                SecurityTokenNotYetValidException => Fail(TokenError.NotYetValid, "token not valid yet (nbf is in the future)"),
                SecurityTokenExpiredException => Fail(TokenError.Expired, "token expired"),
                _ => Fail(TokenError.Malformed, "invalid token"),
            };
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        try
        {
            var type = (SessionType)ReadLong(jwt, "type");
            var rights = jwt.TryGetPayloadValue<string>("rights", out var r) && !string.IsNullOrEmpty(r)
                ? r.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>();
            var identity = new SessionIdentity
            {
                Type = type,
                Id = ReadLong(jwt, "id"),
                Name = jwt.TryGetPayloadValue<string>("name", out var n) ? n : "",
                GroupMask = jwt.TryGetPayloadValue<string>("groups", out var g) && !string.IsNullOrEmpty(g) ? g : "*",
                Rights = rights,
                RegistrationSequence = jwt.TryGetPayloadValue<object>("reg", out var reg) && reg is not null ? ReadLong(jwt, "reg") : 0,
                ExpiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
            };
            return new TokenValidation(identity, TokenError.None, "");
        }
        catch (Exception)
        {
            return Fail(TokenError.Malformed, "token claims are invalid");
        }
    }

    /// <summary><c>nbf</c> may lie up to <see cref="NotBeforeSkew"/> ahead; <c>exp</c> is exact.</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null) throw new SecurityTokenNoExpirationException("token has no exp");
        if (notBefore is { } nbf && nbf > now + NotBeforeSkew)
        {
            throw new SecurityTokenNotYetValidException("token not valid yet") { NotBefore = nbf };
        }
        if (expires.Value <= now) throw new SecurityTokenExpiredException("token expired") { Expires = expires.Value };
        return true;
    }

    private static long ReadLong(JsonWebToken jwt, string claim)
    {
        if (!jwt.TryGetPayloadValue<object>(claim, out var value) || value is null) throw new FormatException(claim);
        return value switch
        {
            long l => l,
            int i => i,
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetInt64(),
            string s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static TokenValidation Fail(TokenError error, string message) => new(null, error, message);
}
