using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>
/// Input the engine refuses even when a gateway let it through: ids no protocol can carry, and what a group's
/// list of symbol groups (secgroups) means when it is empty versus not configured.
/// </summary>
public class InputBoundScenarios
{
    [Theory]
    [InlineData(EntityIds.Max + 1)]
    [InlineData(long.MaxValue)]
    public void A_login_beyond_what_every_protocol_can_carry_is_refused(long login)
    {
        var h = new EngineHarness();
        var before = h.Engine.StateHash();
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new CreateAccount(new AccountProfile { Login = login, Group = "demo" })));
        Assert.Equal(before, h.Engine.StateHash());
    }

    [Fact]
    public void The_largest_carried_login_is_accepted()
    {
        var h = new EngineHarness();
        var created = h.Ok(new CreateAccount(new AccountProfile { Login = EntityIds.Max, Group = "demo" }));
        Assert.Equal(9_007_199_254_740_991L, created.Profile.Login); // 2^53 − 1
    }

    [Fact]
    public void An_agent_account_beyond_the_id_range_is_refused()
    {
        var h = new EngineHarness();
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new CreateAccount(new AccountProfile { Group = "demo", AgentAccount = EntityIds.Max + 1 })));
    }

    [Fact]
    public void An_empty_secgroups_list_means_no_symbol_group_may_be_traded()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "none", Securities = [] }));
        var login = h.Account(10_000m, "none");
        var before = h.Engine.StateHash();
        Assert.Equal(ReturnCode.TradeSecurityNotFound, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10)));
        Assert.Equal(ReturnCode.TradeSecurityNotFound, h.Fails(new OpenPosition(login, "XAUUSD", TradeCommand.Buy, 1)));
        Assert.Equal(before, h.Engine.StateHash());
    }

    [Fact]
    public void Secgroups_not_configured_means_every_symbol_group_with_default_settings()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "all", Securities = null }));
        var login = h.Account(10_000m, "all");
        h.Buy(login, "EURUSD", 10);
        h.Buy(login, "XAUUSD", 1);
    }
}
