using Dealwire.Engine.Model;
using Dealwire.Gateway.Sessions;

namespace Dealwire.ServerApi.Tests.GatewayCore;

/// <summary>The gateway's session registry as an event router: by login for traders, by group mask for staff.</summary>
public sealed class EventRouterTests
{
    private sealed class Conn(string name)
    {
        public override string ToString() => name;
    }

    private static Audience Staff(string mask) => Audience.Staff(1, mask, new GroupMask(mask).Matches);

    [Fact]
    public void A_trader_receives_its_own_logins_events_only()
    {
        var registry = new SessionRegistry<Conn>();
        var trader = new Conn("1001");
        Assert.True(registry.TryAdd(trader));
        registry.Route(trader, Audience.Trader(1001));

        Assert.Equal([trader], registry.TradersOf(1001));
        Assert.Empty(registry.TradersOf(1002));
        Assert.Empty(registry.StaffOf("demo"));
    }

    [Fact]
    public void Staff_are_found_by_mask_pattern_also_for_a_group_first_named_after_they_joined()
    {
        var registry = new SessionRegistry<Conn>();
        var demoDesk = new Conn("demo*");
        var realDesk = new Conn("real*,!real-vip");
        registry.TryAdd(demoDesk);
        registry.TryAdd(realDesk);
        registry.Route(demoDesk, Staff("demo*"));
        registry.Route(realDesk, Staff("real*,!real-vip"));

        Assert.Equal([demoDesk], registry.StaffOf("demo-usd"));
        Assert.Equal([realDesk], registry.StaffOf("real-eur"));
        Assert.Empty(registry.StaffOf("real-vip"));
        // A group created later is matched when an event first names it.
        Assert.Equal([demoDesk], registry.StaffOf("demo-new-group"));
    }

    [Fact]
    public void A_new_mask_reroutes_at_once_and_the_cached_group_lists_follow()
    {
        var registry = new SessionRegistry<Conn>();
        var desk = new Conn("desk");
        registry.TryAdd(desk);
        registry.Route(desk, Staff("demo*"));
        Assert.Equal([desk], registry.StaffOf("demo-usd")); // cached now

        registry.Route(desk, Staff("real*"));

        Assert.Empty(registry.StaffOf("demo-usd"));
        Assert.Equal([desk], registry.StaffOf("real-usd"));
    }

    [Fact]
    public void Administrators_see_every_group_and_accounts_of_unknown_group_staff_do_not()
    {
        var registry = new SessionRegistry<Conn>();
        var admin = new Conn("admin");
        var desk = new Conn("desk");
        registry.TryAdd(admin);
        registry.TryAdd(desk);
        registry.Route(admin, Audience.Administrator(1));
        registry.Route(desk, Staff("*"));

        Assert.Equal(2, registry.StaffOf("any").Length);
        Assert.Equal([admin], registry.StaffOf(null));
        Assert.Equal(2, registry.Staff.Length);
    }

    [Fact]
    public void A_removed_or_unrouted_session_receives_nothing_and_broadcasts_reach_identified_sessions_only()
    {
        var registry = new SessionRegistry<Conn>();
        var trader = new Conn("trader");
        var desk = new Conn("desk");
        var anonymous = new Conn("anonymous");
        foreach (var c in new[] { trader, desk, anonymous }) registry.TryAdd(c);
        registry.Route(trader, Audience.Trader(7));
        registry.Route(desk, Staff("*"));
        Assert.Equal(3, registry.Count);
        Assert.Equal(2, registry.Routed.Length);

        registry.Route(trader, null);
        registry.Remove(desk);

        Assert.Empty(registry.TradersOf(7));
        Assert.Empty(registry.StaffOf("demo"));
        Assert.Empty(registry.Routed);
        Assert.Equal(2, registry.Count);
    }

    [Fact]
    public void The_session_cap_refuses_one_more()
    {
        var registry = new SessionRegistry<Conn>();
        Assert.True(registry.TryAdd(new Conn("a"), maxSessions: 1));
        Assert.False(registry.TryAdd(new Conn("b"), maxSessions: 1));
    }
}
