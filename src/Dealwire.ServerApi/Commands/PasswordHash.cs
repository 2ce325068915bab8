using Dealwire.Security;

namespace Dealwire.ServerApi.Commands;

/// <summary>Account passwords: the one PBKDF2 format of <see cref="PasswordHasher"/> (managers use it too).</summary>
internal static class PasswordHash
{
    public static string Create(string password) => PasswordHasher.Create(password);

    public static bool Verify(string password, string stored) => PasswordHasher.Verify(password, stored);
}
