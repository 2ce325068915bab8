using Dealwire.Integration.Contracts.Settings;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Dealwire.Integration.Tests;

/// <summary>TradingSettingsIntegrationGrpcService over the Server API's configuration (symbols and groups), with its rights and mask.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SettingsIntegrationTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task An_instrument_is_inserted_with_its_days_off_and_read_back()
    {
        var instrument = new TradingInstrumentGrpcModel
        {
            Name = "EURCHF", Digits = 5, Base = "EUR", Quote = "CHF", TickSize = 0.00001, LotSize = 100_000, GroupId = "Forex", Weight = 9,
        };
        instrument.DaysOff.Add(new TradingInstrumentDayOffGrpcModel { DowFrom = 5, TimeFrom = "22:00", DowTo = 0, TimeTo = "22:00" });
        var stored = await fixture.Settings.InsertOrReplaceInstrumentAsync(instrument, fixture.Crm);
        Assert.Equal("EURCHF", stored.Name);
        Assert.Equal("Forex", stored.GroupId);
        Assert.Equal(100_000, stored.LotSize);
        var window = Assert.Single(stored.DaysOff);
        Assert.Equal((5, "22:00", 0, "22:00"), (window.DowFrom, window.TimeFrom, window.DowTo, window.TimeTo));

        var listed = await IntegrationFixture.ReadAllAsync(fixture.Settings.GetInstruments(new GetInstrumentsFilterRequest { GroupId = "Forex" }, fixture.Crm));
        Assert.Contains(listed, i => i.Name == "EURCHF");
        Assert.DoesNotContain(listed, i => i.Name == "XAUUSD");
    }

    [Fact]
    public async Task A_trading_group_takes_another_groups_profile_and_its_own_markups_and_swaps()
    {
        var group = await fixture.Settings.InsertOrReplaceTradingGroupAsync(new TradingGroupGrpcModel
        {
            Id = "crm-vip", Name = "VIP desk", TradingProfileId = "demo", SwapProfileId = "demo",
        }, fixture.Crm);
        Assert.Equal("crm-vip", group.TradingProfileId);
        Assert.False(group.TradingDisabled);

        var profile = new TradingProfileGrpcModel { Id = "crm-vip", StopOutPercent = 30, MarginCallPercent = 80, InitialDeposit = 0 };
        profile.Leverages.Add(200);
        profile.CollateralCurrencies.Add("USD");
        var stored = await fixture.Settings.InsertOrReplaceTradingProfileAsync(profile, fixture.Crm);
        Assert.Equal(30, stored.StopOutPercent);
        Assert.Equal(200, Assert.Single(stored.Leverages));
        Assert.Contains(stored.Instruments, i => i.Id == "EURUSD" && i.MinOperationVolume == 0.01);

        var markups = new MarkupProfileGrpcModel { Name = "crm-vip" };
        markups.Instruments["EURUSD"] = new MarkupInstrumentGrpcModel { MarkupBid = -2, MarkupAsk = 3 };
        var markup = await fixture.Settings.InsertOrReplaceTradingMarkupProfileAsync(markups, fixture.Crm);
        Assert.Equal(3, markup.Instruments["EURUSD"].MarkupAsk);

        var swaps = new SwapProfileGrpcModel { Id = "crm-vip" };
        swaps.InstrumentsSwaps["EURUSD"] = new SwapScheduleTypeGrpcModel { Points = new SwapProfileInstrumentGrpcModel { Long = -1.5, Short = 0.5 } };
        var swap = await fixture.Settings.InsertOrReplaceTradingSwapProfileAsync(swaps, fixture.Crm);
        Assert.Equal(-1.5, swap.InstrumentsSwaps["EURUSD"].Points.Long);
        // Replacing the markups with none leaves the swaps alone.
        var cleared = await fixture.Settings.InsertOrReplaceTradingMarkupProfileAsync(new MarkupProfileGrpcModel { Name = "crm-vip" }, fixture.Crm);
        Assert.True(cleared.Disabled);
        var listed = await IntegrationFixture.ReadAllAsync(fixture.Settings.GetTradingSwapProfiles(new Empty(), fixture.Crm));
        Assert.Equal(0.5, listed.Single(p => p.Id == "crm-vip").InstrumentsSwaps["EURUSD"].Points.Short);

        // A CRM can now open an account in the new group.
        var account = await fixture.CreateAccountAsync("vip-trader", group: "crm-vip", deposit: 10);
        Assert.Equal("crm-vip", account.TradingGroup);
    }

    [Fact]
    public async Task Settings_refusals_are_gRPC_statuses_and_the_mask_holds()
    {
        var demo = IntegrationFixture.Bearer(fixture.DemoKey);
        var outside = await Assert.ThrowsAsync<RpcException>(() => fixture.Settings.InsertOrReplaceTradingGroupAsync(
            new TradingGroupGrpcModel { Id = "demo-netting", Name = "x", TradingProfileId = "demo-netting", SwapProfileId = "demo-netting", TradingDisabled = true }, demo).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, outside.StatusCode);
        // A symbol every group trades reaches groups outside the "demo" mask.
        var symbol = await Assert.ThrowsAsync<RpcException>(() => fixture.Settings.InsertOrReplaceInstrumentAsync(
            new TradingInstrumentGrpcModel { Name = "EURUSD", Digits = 5, Base = "EUR", Quote = "USD", LotSize = 100_000, TradingDisabled = true }, demo).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, symbol.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(() => fixture.Settings.InsertOrReplaceTradingProfileAsync(new TradingProfileGrpcModel { Id = "no-such" }, fixture.Crm).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var schedule = await Assert.ThrowsAsync<RpcException>(() => fixture.Settings.InsertOrReplaceTradingSwapProfileScheduleAsync(new SwapScheduleGrpcModel { Id = "s" }, fixture.Crm).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, schedule.StatusCode);

        var groups = await IntegrationFixture.ReadAllAsync(fixture.Settings.GetTradingGroups(new Empty(), demo));
        Assert.All(groups, g => Assert.Equal("demo", g.Id));
        var netting = (await IntegrationFixture.ReadAllAsync(fixture.Settings.GetTradingGroups(new Empty(), fixture.Crm))).Single(g => g.Id == "demo-netting");
        Assert.False(netting.TradingDisabled);
    }
}
