using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary><c>dealwire token issue</c> run as a real process.</summary>
[Trait("Category", "Slow")] // a dealwire CLI process per call
public sealed class TokenCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<SessionIdentity> Validate(string token, string? dataDir = null)
    {
        var validation = await new TokenService(TokenService.LoadOrCreateKey(dataDir ?? _dir.Path)).ValidateAsync(token);
        Assert.True(validation.IsValid, validation.Message);
        return validation.Identity!;
    }

    private static string SingleLine(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return Assert.Single(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
    }

    [Theory]
    [InlineData("admin", SessionType.Admin)]
    [InlineData("manager", SessionType.Manager)]
    [InlineData("dealer", SessionType.Dealer)]
    public async Task Staff_tokens_carry_type_id_groups_rights_and_lifetime(string type, SessionType expected)
    {
        var token = SingleLine(await DealwireCli.RunAsync("token", "issue", "--type", type, "--login", "7", "--groups", "demo*,!demo-netting",
            "--ttl", "2h", "--data-dir", _dir.Path));

        var identity = await Validate(token);
        Assert.Equal((expected, 7L, "demo*,!demo-netting"), (identity.Type, identity.Id, identity.GroupMask));
        Assert.InRange(identity.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2));
        if (expected == SessionType.Admin) Assert.Empty(identity.Rights);
        else Assert.Equal(Rights.ManagerDefault.Order(), identity.Rights.Order());
    }

    [Fact]
    public async Task A_user_token_is_refused_for_a_login_the_data_directory_does_not_hold()
    {
        // User tokens bind to the account instance (its registration sequence), read from the data directory;
        // AccessEndsEndToEndTests issues them against a running server's data directory.
        var result = await DealwireCli.RunAsync("token", "issue", "--type", "user", "--login", "1000", "--data-dir", _dir.Path);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.StandardOutput.Trim());
        Assert.Contains("Account 1000 does not exist", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_are_id_1_all_groups_and_one_day()
    {
        var identity = await Validate(SingleLine(await DealwireCli.RunAsync("token", "issue", "--type", "ADMIN", "--data-dir", _dir.Path)));
        Assert.Equal((SessionType.Admin, 1L, "*"), (identity.Type, identity.Id, identity.GroupMask));
        Assert.InRange(identity.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromDays(1));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("2w", 14 * 86400)]
    [InlineData("0.01:00:00", 3600)]
    public async Task Ttl_accepts_units_and_timespans(string ttl, int seconds)
    {
        var identity = await Validate(SingleLine(await DealwireCli.RunAsync("token", "issue", "--type", "admin", "--ttl", ttl, "--data-dir", _dir.Path)));
        Assert.InRange((identity.ExpiresAt - DateTimeOffset.UtcNow).TotalSeconds, seconds - 60, seconds);
    }

    [Fact]
    public async Task Explicit_rights_replace_the_default_list()
    {
        var identity = await Validate(SingleLine(await DealwireCli.RunAsync("token", "issue", "--type", "manager", "--rights", "see_accounts, see_trades",
            "--data-dir", _dir.Path)));
        Assert.Equal(["see_accounts", "see_trades"], identity.Rights.Order());
    }

    [Fact]
    public async Task The_config_and_notification_rights_are_accepted_by_name()
    {
        var identity = await Validate(SingleLine(await DealwireCli.RunAsync("token", "issue", "--type", "manager", "--rights", "config,email_right,see_accounts",
            "--data-dir", _dir.Path)));
        Assert.Equal([Rights.Config, Rights.Email, Rights.SeeAccounts], identity.Rights.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_misspelt_right_is_refused_instead_of_granting_nothing()
    {
        var result = await DealwireCli.RunAsync("token", "issue", "--type", "manager", "--rights", "see_accounts,confg", "--data-dir", _dir.Path);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unknown right(s): confg", result.StandardError);
        Assert.DoesNotContain("eyJ", result.StandardOutput); // no token printed
    }

    [Fact]
    public async Task A_token_from_one_data_directory_is_refused_by_another()
    {
        var token = SingleLine(await DealwireCli.RunAsync("token", "issue", "--type", "admin", "--data-dir", _dir.Path));
        using var other = new TempDirectory();
        var validation = await new TokenService(TokenService.LoadOrCreateKey(other.Path)).ValidateAsync(token);
        Assert.Equal(TokenError.BadSignature, validation.Error);
    }

    [Fact]
    public async Task The_data_directory_comes_from_the_environment_unless_the_flag_overrides_it()
    {
        using var fromEnv = new TempDirectory();
        var env = new Dictionary<string, string> { ["DEALWIRE__Host__DataDir"] = fromEnv.Path };

        var viaEnv = SingleLine(await DealwireCli.RunAsync(["token", "issue", "--type", "admin"], env, _dir.Path));
        await Validate(viaEnv, fromEnv.Path);

        var viaFlag = SingleLine(await DealwireCli.RunAsync(["token", "issue", "--type", "admin", "--data-dir", "flagged"], env, _dir.Path));
        await Validate(viaFlag, _dir.Combine("flagged"));
    }

    [Theory]
    [InlineData("--type user", "--login is required for --type user")]
    [InlineData("--type root", "Argument 'root' not recognized")]
    [InlineData("", "Option '--type' is required")]
    [InlineData("--type admin --ttl 3x", "'3x' is not a positive duration")]
    [InlineData("--type admin --ttl -1d", "is not a positive duration")]
    [InlineData("--type user --login 0", "--login must be a positive number")]
    [InlineData("--type user --login abc", "abc")]
    [InlineData("--type admin --bogus", "Unrecognized command or argument '--bogus'")]
    public async Task Bad_arguments_fail_with_a_clear_error(string arguments, string message)
    {
        var args = new[] { "token", "issue", "--data-dir", _dir.Path }.Concat(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var result = await DealwireCli.RunAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.DoesNotContain("eyJ", result.StandardOutput);
    }
}
