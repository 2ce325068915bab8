using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>Partial updates merged by the engine: each patch changes only the fields it names.</summary>
public class PatchScenarios
{
    [Fact]
    public void Two_patches_of_different_fields_both_survive()
    {
        var h = new EngineHarness();
        // Both written against the same original record, as two gateways would: neither undoes the other.
        h.Ok(new PatchSymbol("EURUSD", new SymbolPatch { Spread = 12 }));
        h.Ok(new PatchSymbol("EURUSD", new SymbolPatch { StopsLevel = 30 }));
        var symbol = h.Engine.GetSymbol("EURUSD")!;
        Assert.Equal((12, 30, 5), (symbol.Spread, symbol.StopsLevel, symbol.Digits));

        var login = h.Account(1_000m);
        h.Ok(new PatchAccount(login, new AccountPatch { Comment = "vip" }));
        h.Ok(new PatchAccount(login, new AccountPatch { City = "Oslo" }));
        var profile = h.Engine.GetAccount(login)!.Profile;
        Assert.Equal(("vip", "Oslo", "Test"), (profile.Comment, profile.City, profile.Name));

        h.Ok(new PatchGroup("demo", new GroupPatch { MaxPositions = 7 }));
        h.Ok(new PatchGroup("demo", new GroupPatch { SymbolOverrides = [new GroupSymbolOverridePatch { Symbol = "EURUSD", AskMarkup = 2 }] }));
        h.Ok(new PatchGroup("demo", new GroupPatch { SymbolOverrides = [new GroupSymbolOverridePatch { Symbol = "EURUSD", BidMarkup = -1 }] }));
        var group = h.Engine.GetGroup("demo")!;
        Assert.Equal(7, group.MaxPositions);
        Assert.Equal((-1, 2), (group.SymbolOverrides[0].BidMarkup, group.SymbolOverrides[0].AskMarkup));

        h.Ok(new PatchSymbolGroup(1, new SymbolGroupPatch { Description = "Gold and silver" }));
        Assert.Equal("Metals", h.Engine.GetSymbolGroups().Single(g => g.Index == 1).Name);

        var replay = new TradingEngine();
        foreach (var command in h.Journal) Assert.Equal(ReturnCode.Ok, replay.Execute(command).Code);
        Assert.Equal(h.Engine.StateHash(), replay.StateHash());
    }

    [Fact]
    public void Patching_a_missing_record_is_refused_unless_the_group_may_be_created()
    {
        var h = new EngineHarness();
        Assert.Equal(ReturnCode.SymbolNotFound, h.Fails(new PatchSymbol("NOPE", new SymbolPatch { Spread = 1 })));
        Assert.Equal(ReturnCode.UserNotFound, h.Fails(new PatchAccount(999_999, new AccountPatch { City = "x" })));
        Assert.Equal(ReturnCode.SecurityNotFound, h.Fails(new PatchSymbolGroup(99, new SymbolGroupPatch { Name = "x" })));
        Assert.Equal(ReturnCode.GroupNotFound, h.Fails(new PatchGroup("fresh", new GroupPatch { MaxPositions = 3 })));
        h.Ok(new PatchGroup("fresh", new GroupPatch { MaxPositions = 3 }) { CreateIfMissing = true });
        Assert.Equal(3, h.Engine.GetGroup("fresh")!.MaxPositions);
        // A patch still goes through the record's validation.
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new PatchSymbol("EURUSD", new SymbolPatch { ContractSize = 0m })));
    }
}
