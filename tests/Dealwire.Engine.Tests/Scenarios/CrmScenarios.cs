using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>
/// Issue #15, CRM customers (scaletrade §7.13): desks, customers with the documented validation, and the link from an
/// account to a customer of the same brand — engine state that survives snapshot and replay with the same hash.
/// </summary>
public class CrmScenarios
{
    private static EngineHarness WithDesks()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "brand-a", Brand = "Alpha", Currency = "USD" }));
        h.Ok(new UpsertDesk(new DeskRecord { Code = "sales-eu", Name = "Sales EU", Brand = "Alpha" }));
        h.Ok(new UpsertDesk(new DeskRecord { Code = "OLD", Brand = "Alpha", Archived = true }));
        h.Ok(new UpsertDesk(new DeskRecord { Code = "PAUSED", Brand = "Alpha", Enabled = false }));
        return h;
    }

    [Fact]
    public void A_desk_code_is_upper_cased_and_an_update_keeps_its_id()
    {
        var h = WithDesks();
        var desk = h.Engine.GetDesks().Single(d => d.Code == "SALES-EU");
        var updated = h.Ok(new UpsertDesk(new DeskRecord { Code = "Sales-EU", Name = "Sales Europe", Brand = "Alpha" }));
        Assert.Equal(desk.Id, updated.Id);
        Assert.Equal("Sales Europe", updated.Name);
        Assert.Equal(3, h.Engine.GetDesks().Count());
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new UpsertDesk(new DeskRecord { Code = "no spaces" })));
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new UpsertDesk(new DeskRecord { Code = "" })));
    }

    [Fact]
    public void A_customer_gets_the_next_id_its_desks_brand_and_a_full_name()
    {
        var h = WithDesks();
        var first = h.Ok(new AddCustomer(new CustomerRecord { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", Desk = "sales-eu" }));
        Assert.Equal(1, first.CustomerId);
        Assert.Equal(("SALES-EU", "Alpha", "Ada Lovelace"), (first.Desk, first.Brand, first.FullName));
        Assert.Equal(h.Engine.GetDesks().Single(d => d.Code == "SALES-EU").Id, first.DeskId);
        Assert.Equal(h.Time, first.CreateTime);

        var chosen = h.Ok(new AddCustomer(new CustomerRecord { CustomerId = 500, Email = "" }));
        Assert.Equal(500, chosen.CustomerId);
        Assert.Equal(ReturnCode.DuplicateRecord, h.Fails(new AddCustomer(new CustomerRecord { CustomerId = 500 })));
        Assert.Equal(2, h.Ok(new AddCustomer(new CustomerRecord())).CustomerId);
    }

    [Theory]
    [InlineData("ADA@example.com", "", "", ReturnCode.DuplicateRecord)] // unique e-mail, whatever its case
    [InlineData("", "NOPE", "", ReturnCode.InvalidData)] // the desk must exist
    [InlineData("", "OLD", "", ReturnCode.InvalidData)] // not archived
    [InlineData("", "PAUSED", "", ReturnCode.InvalidData)] // enabled
    [InlineData("", "SALES-EU", "Beta", ReturnCode.InvalidData)] // the desk's brand
    [InlineData("not-an-address", "", "", ReturnCode.InvalidData)]
    public void A_customer_that_breaks_a_rule_is_refused_and_nothing_is_stored(string email, string desk, string brand, ReturnCode code)
    {
        var h = WithDesks();
        h.Ok(new AddCustomer(new CustomerRecord { Email = "ada@example.com" }));
        Assert.Equal(code, h.Fails(new AddCustomer(new CustomerRecord { Email = email, Desk = desk, Brand = brand })));
        Assert.Single(h.Engine.GetCustomers());
    }

    [Theory]
    [InlineData(2, 0, 0, 0)]
    [InlineData(0, 4, 0, 0)]
    [InlineData(0, 0, 3, 0)]
    [InlineData(0, 0, 0, 4)]
    public void Enumerations_are_range_checked(int type, int status, int risk, int sanctions)
    {
        var h = WithDesks();
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new AddCustomer(new CustomerRecord { Type = type, Status = status, RiskLevel = risk, SanctionsStatus = sanctions })));
    }

    [Fact]
    public void An_account_links_only_to_a_customer_of_its_groups_brand()
    {
        var h = WithDesks();
        var alpha = h.Ok(new AddCustomer(new CustomerRecord { Desk = "SALES-EU" }));
        var noBrand = h.Ok(new AddCustomer(new CustomerRecord()));
        var branded = h.Ok(new CreateAccount(new AccountProfile { Group = "brand-a", Name = "Alpha client" })).Profile.Login;
        var demo = h.Account(100m);

        var linked = h.Ok(new LinkAccountToCustomer(branded, alpha.CustomerId));
        Assert.Equal(alpha.CustomerId, linked.Profile.CustomerId);
        Assert.Equal(alpha.CustomerId, h.Engine.GetAccount(branded)!.Profile.CustomerId);
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new LinkAccountToCustomer(demo, alpha.CustomerId))); // demo has no brand
        h.Ok(new LinkAccountToCustomer(demo, noBrand.CustomerId));
        Assert.Equal(ReturnCode.ErrNotFound, h.Fails(new LinkAccountToCustomer(demo, 999)));
        Assert.Equal(ReturnCode.UserNotFound, h.Fails(new LinkAccountToCustomer(987654, alpha.CustomerId)));
        h.AssertMoneyInvariants();
    }

    [Fact]
    public void Desks_customers_and_links_survive_snapshot_and_replay_with_the_same_hash()
    {
        var h = WithDesks();
        var customer = h.Ok(new AddCustomer(new CustomerRecord { Email = "ada@example.com", Desk = "SALES-EU", PasswordHash = "pbkdf2$x" }));
        var login = h.Ok(new CreateAccount(new AccountProfile { Group = "brand-a", Name = "Alpha client" })).Profile.Login;
        h.Ok(new LinkAccountToCustomer(login, customer.CustomerId));

        var restored = h.AssertSnapshotRestoresTheHash();
        Assert.Equal(h.Engine.GetCustomers(), restored.GetCustomers());
        Assert.Equal(h.Engine.GetDesks(), restored.GetDesks());
        h.AssertReplayReproducesTheHash();

        // The restored engine keeps enforcing the rules: the e-mail stays taken, ids continue.
        var next = new AddCustomer(new CustomerRecord { Email = "Ada@Example.com" });
        next.Stamp(h.Engine.LastSequence + 1, h.Time);
        Assert.Equal(ReturnCode.DuplicateRecord, restored.Execute(next).Code);
        var fresh = new AddCustomer(new CustomerRecord());
        fresh.Stamp(h.Engine.LastSequence + 2, h.Time);
        Assert.Equal(2L, ((CustomerRecord)restored.Execute(fresh).Value!).CustomerId);
    }

    [Fact]
    public void A_desk_is_part_of_the_state_hash()
    {
        var with = new EngineHarness();
        var without = new EngineHarness();
        Assert.Equal(with.Engine.StateHash(), without.Engine.StateHash());
        with.Ok(new UpsertDesk(new DeskRecord { Code = "X" }));
        Assert.NotEqual(with.Engine.StateHash(), without.Engine.StateHash());
    }
}
