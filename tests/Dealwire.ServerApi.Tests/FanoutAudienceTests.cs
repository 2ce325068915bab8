using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Fanout;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// The fan-out serializes an account's event only when some session may see it: its own trader, or staff whose mask
/// covers the account's group. Most accounts have no Server API audience when their traders use another protocol,
/// and their events cost the live view's apply path nothing here.
/// </summary>
public sealed class FanoutAudienceTests
{
    private const long Login = 1001;

    private readonly SessionRegistry _sessions = new();
    private readonly EventFanout _fanout;

    public FanoutAudienceTests() => _fanout = new EventFanout(_sessions, new LiveView(), NullLogger<EventFanout>.Instance);

    [Fact]
    public void An_account_event_nobody_may_see_builds_no_frame()
    {
        _fanout.OnEvents([Trade(Login), Balance(Login, "demo")]);
        Assert.Equal(0, _fanout.AccountFramesBuilt);

        // A manager whose mask does not cover the account's group is no audience either.
        var manager = Connect(new SessionIdentity { Type = SessionType.Manager, Id = 7, GroupMask = "real*" });
        _fanout.OnEvents([Balance(Login, "demo")]);
        Assert.Equal(0, _fanout.AccountFramesBuilt);
        Assert.Equal(0, manager.Outbound.PendingBytes);
    }

    [Fact]
    public void The_account_own_trader_and_covering_staff_get_the_frame()
    {
        var trader = Connect(new SessionIdentity { Type = SessionType.User, Id = Login });
        _fanout.OnEvents([Trade(Login)]);
        Assert.Equal(1, _fanout.AccountFramesBuilt);
        var traderBytes = trader.Outbound.PendingBytes;
        Assert.True(traderBytes > 0);

        // Another account's events: the trader is not their audience.
        _fanout.OnEvents([Trade(Login + 1), Balance(Login + 1, "demo")]);
        Assert.Equal(1, _fanout.AccountFramesBuilt);
        Assert.Equal(traderBytes, trader.Outbound.PendingBytes);

        var manager = Connect(new SessionIdentity { Type = SessionType.Manager, Id = 7, GroupMask = "demo*" });
        _fanout.OnEvents([Balance(Login + 1, "demo")]);
        Assert.Equal(2, _fanout.AccountFramesBuilt);
        Assert.True(manager.Outbound.PendingBytes > 0);
        Assert.Equal(traderBytes, trader.Outbound.PendingBytes);
    }

    private Session Connect(SessionIdentity identity) => SessionsWithoutSocket.Connect(_sessions, identity);

    private static TradeEvent Trade(long login) =>
        new(RecordChange.Add, new TradeRecord { Ticket = 70 + login, Login = login, Symbol = "EURUSD", Digits = 5, Volume = 100, OpenPrice = 1.1m });

    private static BalanceEvent Balance(long login, string group) =>
        new(new LedgerEntry { Login = login, Kind = LedgerKind.Deposit, Amount = 5m }, new MarginSnapshot { Login = login, Group = group, Balance = 5m });
}
