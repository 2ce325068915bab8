using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dealwire.Security;

public enum TokenError { None, Missing, Malformed, Expired, BadSignature }

/// <summary>The outcome of checking a token: the identity, or why it was refused.</summary>
public readonly record struct TokenValidation(SessionIdentity? Identity, TokenError Error, string Message)
{
    public bool IsValid => Identity is not null;
}

/// <summary>
/// Issues and verifies the HS256 JWTs of the Server API (<c>__token</c>). Claims: <c>type</c>
/// (SESSION_*), <c>id</c>, <c>name</c>, <c>groups</c> (mask), <c>rights</c> (comma list), <c>exp</c>.
/// </summary>
public sealed class TokenService
{
    public const string Issuer = "dealwire";
    private readonly SymmetricSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new();

    public TokenService(byte[] signingKey)
    {
        if (signingKey.Length < 32) throw new ArgumentException("The signing key must be at least 256 bits.", nameof(signingKey));
        _key = new SymmetricSecurityKey(signingKey);
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
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime.AddSeconds(-1),
            Expires = now.Add(lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        };
        return _handler.CreateToken(descriptor);
    }

    public TokenValidation Validate(string? token, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(token)) return Fail(TokenError.Missing, "__token is required");
        // Three parts only: a five-part JWE never reaches the library (old JWE decompression issue).
        if (token.Length > 8192 || token.Count(c => c == '.') != 2) return Fail(TokenError.Malformed, "malformed token");

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception)
        {
            return Fail(TokenError.Malformed, "malformed token");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidateAudience = false,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.Zero,
            // Expiry is checked below against the caller's clock so tests can pin time.
            ValidateLifetime = false,
        };
        var result = _handler.ValidateToken(token, parameters);
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException
                ? Fail(TokenError.BadSignature, "invalid token signature")
                : Fail(TokenError.Malformed, "invalid token");
        }

        if (jwt.ValidTo == DateTime.MinValue || jwt.ValidTo <= now.UtcDateTime) return Fail(TokenError.Expired, "token expired");

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
                ExpiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
            };
            return new TokenValidation(identity, TokenError.None, "");
        }
        catch (Exception)
        {
            return Fail(TokenError.Malformed, "token claims are invalid");
        }
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

    private static TokenValidation Fail(TokenError error, string message) => new(null, error, message);
}
