using Dealwire.Security;
using Microsoft.Extensions.Time.Testing;

namespace Dealwire.Host.Tests.Security;

/// <summary>Lifetime rules of <see cref="TokenService"/> against a fake clock (the server's TimeProvider).</summary>
public sealed class TokenServiceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static readonly SessionIdentity User = new() { Type = SessionType.User, Id = 1000, Name = "u", GroupMask = "demo", RegistrationSequence = 42 };

    [Fact]
    public async Task Nbf_may_lead_the_clock_by_the_skew_only_and_exp_is_exact()
    {
        var clock = new FakeTimeProvider(Start);
        var service = new TokenService(Key, clock);
        // Minted by a clock one hour ahead: nbf = Start + 1 h - 1 s.
        var early = service.Issue(User, TimeSpan.FromHours(2), Start.AddHours(1));
        Assert.Equal(TokenError.NotYetValid, (await service.ValidateAsync(early)).Error);
        clock.AdjustTime(Start.AddHours(1).AddSeconds(-1) - TokenService.NotBeforeSkew);
        Assert.True((await service.ValidateAsync(early)).IsValid);

        var token = service.Issue(User, TimeSpan.FromMinutes(5), Start);
        clock.AdjustTime(Start.AddMinutes(5).AddMilliseconds(-1));
        var valid = await service.ValidateAsync(token);
        Assert.True(valid.IsValid, valid.Message);
        Assert.Equal(42, valid.Identity!.RegistrationSequence);
        clock.AdjustTime(Start.AddMinutes(5));
        Assert.Equal(TokenError.Expired, (await service.ValidateAsync(token)).Error);
    }

    [Fact]
    public async Task Anything_but_three_parts_never_reaches_the_library()
    {
        var service = new TokenService(Key, new FakeTimeProvider(Start));
        var token = service.Issue(User, TimeSpan.FromHours(1), Start);
        Assert.Equal(TokenError.Malformed, (await service.ValidateAsync(token + ".x.y")).Error);
        Assert.Equal(TokenError.Missing, (await service.ValidateAsync(" ")).Error);
        Assert.Equal(TokenError.BadSignature, (await service.ValidateAsync(token[..^2] + (token[^2] == 'A' ? "BB" : "AA"))).Error);
    }
}
