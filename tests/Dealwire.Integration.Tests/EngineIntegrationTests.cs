using Dealwire.Integration.Contracts.Engine;

namespace Dealwire.Integration.Tests;

/// <summary>EngineIntegrationGrpcService against the real process with fixed prices (EURUSD 1.10000/1.10010).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class EngineIntegrationTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task A_position_opens_once_per_ProcessId_lists_changes_its_stops_and_closes()
    {
        var account = await fixture.CreateAccountAsync("eng-a", deposit: 10_000);
        var open = new OpenPositionGrpcRequest
        {
            TraderId = "eng-a", AccountId = account.Id, ProcessId = IntegrationFixture.Unique("open"), Instrument = "EURUSD", Lots = 0.1,
            Side = EnginePositionSideGrpcModel.Buy, TpInAssetPrice = 1.2,
        };
        open.Metadata.Add("desk", "crm");
        var opened = await fixture.Engine.OpenPositionAsync(open, fixture.Crm);
        Assert.Equal(EngineOperationCode.Ok, opened.Status);
        var p = opened.Position;
        Assert.Equal("EURUSD", p.AssetPair);
        Assert.Equal(EnginePositionSideGrpcModel.Buy, p.Side);
        Assert.Equal(0.1, p.LotsAmount);
        Assert.Equal(1.1001, p.OpenPrice);
        Assert.Equal(1.2, p.TpInAssetPrice);
        Assert.Equal(open.ProcessId, p.ProcessIdCreate);
        Assert.Equal("crm", p.Metadata["desk"]);
        Assert.Equal("USD", p.Collateral);
        Assert.Equal(1.1, p.ActivePrice); // a buy closes at the bid

        var retried = await fixture.Engine.OpenPositionAsync(open, fixture.Crm);
        Assert.Equal(EngineOperationCode.ProcessIdDuplicate, retried.Status);
        Assert.Equal(p.Id, retried.Position.Id);
        var different = open.Clone();
        different.Lots = 0.2;
        var refused = await fixture.Engine.OpenPositionAsync(different, fixture.Crm);
        Assert.Equal(EngineOperationCode.ProcessIdDuplicate, refused.Status);
        Assert.Null(refused.Position);

        var listed = await IntegrationFixture.ReadAllAsync(fixture.Engine.GetActivePositions(new GetActivePositionsGrpcRequest { AccountId = account.Id }, fixture.Crm));
        Assert.Equal(p.Id, Assert.Single(listed).Id);

        // A stop as a loss in the account's currency: 10 USD on 0.1 lot (10 000 units) is 0.001 below the open price.
        var stops = await fixture.Engine.UpdateActiveSlTpAsync(new UpdateActiveSlTpGrpcRequest
        {
            TraderId = "eng-a", AccountId = account.Id, Id = p.Id, SlInCurrency = 10, ProcessId = IntegrationFixture.Unique("sl"),
        }, fixture.Crm);
        Assert.Equal(EngineOperationCode.Ok, stops.Status);
        Assert.Equal(1.0991, stops.Position.SlInAssetPrice);
        Assert.Equal(-10, stops.Position.SlInProfit);
        Assert.Equal(1.2, stops.Position.TpInAssetPrice);

        var close = new ClosePositionGrpcRequest
        {
            TraderId = "eng-a", AccountId = account.Id, Id = p.Id, ProcessId = IntegrationFixture.Unique("close"), Reason = EngineClosePositionReason.ClientCommand,
        };
        var closed = await fixture.Engine.ClosePositionAsync(close, fixture.Crm);
        Assert.Equal(EngineOperationCode.Ok, closed.Status);
        Assert.Equal(1.1, closed.Position.ClosePrice);
        Assert.Equal(-1, closed.Position.Profit);
        Assert.Equal(EngineClosePositionReason.ClientCommand, closed.Position.CloseReason);
        Assert.Equal(close.ProcessId, closed.Position.CloseProcessId);
        var closedAgain = await fixture.Engine.ClosePositionAsync(close, fixture.Crm);
        Assert.Equal(EngineOperationCode.ProcessIdDuplicate, closedAgain.Status);
        Assert.Empty(await IntegrationFixture.ReadAllAsync(fixture.Engine.GetActivePositions(new GetActivePositionsGrpcRequest { AccountId = account.Id }, fixture.Crm)));

        var after = await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(new Contracts.Accounts.GetAccountsGrpcRequest { AccountId = account.Id }, fixture.Crm));
        Assert.Equal(9_999m, (decimal)Assert.Single(after).Balance);
    }

    [Fact]
    public async Task A_pending_order_is_placed_changed_listed_and_cancelled()
    {
        var account = await fixture.CreateAccountAsync("eng-b", deposit: 5_000);
        var placed = await fixture.Engine.OpenPendingAsync(new OpenPendingOrderGrpcRequest
        {
            TraderId = "eng-b", AccountId = account.Id, ProcessId = IntegrationFixture.Unique("pend"), Instrument = "EURUSD", Lots = 0.5,
            Side = EnginePositionSideGrpcModel.Buy, DesiredPrice = 1.05, OrderType = EnginePendingOrderType.Limit,
        }, fixture.Crm);
        Assert.Equal(EngineOperationCode.Ok, placed.Status);
        Assert.Equal(1.05, placed.Order.DesirePrice);
        Assert.Equal(EnginePendingOrderType.Limit, placed.Order.OrderType);

        var changed = await fixture.Engine.UpdatePendingSlTpAsync(new UpdatePendingOrderSlTpGrpcRequest
        {
            TraderId = "eng-b", AccountId = account.Id, Id = placed.Order.Id, TpInAssetPrice = 1.08, SlInAssetPrice = 1.04, ProcessId = IntegrationFixture.Unique("pst"),
        }, fixture.Crm);
        Assert.Equal(EngineOperationCode.Ok, changed.Status);
        Assert.Equal(1.08, changed.Position.TpInAssetPrice);
        Assert.Equal(1.04, changed.Position.SlInAssetPrice);

        var listed = await IntegrationFixture.ReadAllAsync(fixture.Engine.GetPendingPositions(new GetPendingOrdersGrpcRequest { TraderId = "eng-b" }, fixture.Crm));
        Assert.Equal(placed.Order.Id, Assert.Single(listed).Id);

        var cancel = new CancelPendingOrderGrpcRequest { TraderId = "eng-b", AccountId = account.Id, Id = placed.Order.Id };
        var cancelled = await fixture.Engine.CancelPendingAsync(cancel, fixture.Crm);
        Assert.Equal(EngineOperationCode.Ok, cancelled.Status);
        Assert.Equal(EngineOperationCode.PositionNotFound, (await fixture.Engine.CancelPendingAsync(cancel, fixture.Crm)).Status);
        Assert.Empty(await IntegrationFixture.ReadAllAsync(fixture.Engine.GetPendingPositions(new GetPendingOrdersGrpcRequest { AccountId = account.Id }, fixture.Crm)));
    }

    [Fact]
    public async Task A_disabled_account_cannot_trade_and_a_poor_one_gets_NotEnoughBalance()
    {
        var poor = await fixture.CreateAccountAsync("eng-c", deposit: 10);
        var tooBig = await fixture.Engine.OpenPositionAsync(new OpenPositionGrpcRequest
        {
            TraderId = "eng-c", AccountId = poor.Id, ProcessId = IntegrationFixture.Unique("big"), Instrument = "EURUSD", Lots = 50, Side = EnginePositionSideGrpcModel.Sell,
        }, fixture.Crm);
        Assert.Equal(EngineOperationCode.NotEnoughBalance, tooBig.Status);

        var disabled = await fixture.Accounts.UpdateAccountAsync(new Contracts.Accounts.UpdateAccountGrpcRequest
        {
            TraderId = "eng-c", AccountId = poor.Id, TradingDisabled = true, ProcessId = IntegrationFixture.Unique("dis"),
        }, fixture.Crm);
        Assert.Equal(Contracts.Accounts.AccountsIntegrationOperationCode.Ok, disabled.Result);
        var refused = await fixture.Engine.OpenPositionAsync(new OpenPositionGrpcRequest
        {
            TraderId = "eng-c", AccountId = poor.Id, ProcessId = IntegrationFixture.Unique("dis-open"), Instrument = "EURUSD", Lots = 0.01, Side = EnginePositionSideGrpcModel.Buy,
        }, fixture.Crm);
        Assert.Equal(EngineOperationCode.TradingDisabled, refused.Status);
        Assert.Empty(await IntegrationFixture.ReadAllAsync(fixture.Engine.GetActivePositions(new GetActivePositionsGrpcRequest { AccountId = poor.Id }, fixture.Crm)));
    }
}
