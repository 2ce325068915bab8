using Dealwire.Security;

namespace Dealwire.Host.Tests.Security;

/// <summary>The audit actor text follows the identity it belongs to, also through <c>with</c> copies.</summary>
public sealed class SessionIdentityTests
{
    [Fact]
    public void A_copy_with_another_type_or_id_gets_its_own_actor_text()
    {
        var manager = new SessionIdentity { Type = SessionType.Manager, Id = 7, Name = "dealer seven" };
        Assert.Equal("manager:7", manager.Actor);

        var promoted = manager with { Type = SessionType.Admin };
        Assert.Equal("admin:7", promoted.Actor);
        Assert.Equal("manager:7", manager.Actor);
        Assert.Equal("manager:9", (manager with { Id = 9 }).Actor);
        Assert.Equal("manager:7", (manager with { Name = "renamed" }).Actor);
    }

    [Fact]
    public void The_cached_text_does_not_take_part_in_equality()
    {
        var rights = new HashSet<string> { Rights.SeeTrades };
        var a = new SessionIdentity { Type = SessionType.Dealer, Id = 3, Rights = rights };
        var b = new SessionIdentity { Type = SessionType.Dealer, Id = 3, Rights = rights };
        _ = a.Actor;
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
