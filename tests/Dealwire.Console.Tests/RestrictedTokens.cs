using Dealwire.Testing;

namespace Dealwire.Console.Tests;

/// <summary>Staff tokens with a chosen set of rights (manager keys carry every right), for the refusal cases.</summary>
public static class RestrictedTokens
{
    public static async Task<string> IssueAsync(DealwireProcess server, string rights, string groups = "*")
    {
        var token = await DealwireCli.RunAsync("token", "issue", "--type", "manager", "--login", "77", "--name", "limited", "--groups", groups,
            "--rights", rights, "--data-dir", server.DataDir);
        Assert.True(token.ExitCode == 0, token.ToString());
        return token.StandardOutput.Trim();
    }
}
