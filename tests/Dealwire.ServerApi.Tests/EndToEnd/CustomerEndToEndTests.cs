using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// Issue #15, CRM customers (tcp §7.13) over a real socket to a real process: desks, MngAddCustomer with its documented
/// validation and reply (no secrets), MngLinkAccountToCustomer with the brand rule, the account record showing the link,
/// and the refusals with their codes on a connection that stays usable.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class CustomerEndToEndTests(RealServerFixture fixture)
{
    private string Admin => fixture.AdminToken;

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private async Task<string> DeskAsync(LineClient c, string brand = "", bool enable = true, bool archived = false)
    {
        var code = Unique("D");
        var reply = await c.CallAsync("MngAddDesk", new { code = code.ToLowerInvariant(), name = "Desk " + code, brand, enable = enable ? 1 : 0, archived = archived ? 1 : 0 }, Admin);
        reply.AssertOk();
        Assert.Equal(code.ToUpperInvariant(), reply.Data().GetProperty("code").GetString());
        return code.ToUpperInvariant();
    }

    [Fact]
    public async Task A_customer_is_added_on_a_desk_answered_without_secrets_and_linked_to_an_account()
    {
        await using var c = await fixture.ConnectAsync();
        var desk = await DeskAsync(c);
        var email = Unique("ada") + "@example.com";
        var added = await c.CallAsync("MngAddCustomer", new
        {
            desk = desk.ToLowerInvariant(), email, password = "s3cret-pass", first_name = "Ada", last_name = "Lovelace", phone = "+44 20 1234",
            type = 0, status = 3, risk_level = 1, kyc_status = 2, lead_source = "web", tags_json = "[\"vip\"]", marketing_allowed = 1,
        }, Admin);
        added.AssertOk();
        var customer = added.Data();
        var id = customer.GetProperty("customer_id").GetInt64();
        Assert.True(id > 0);
        Assert.Equal(desk, customer.GetProperty("desk").GetString());
        Assert.Equal("Ada Lovelace", customer.GetProperty("full_name").GetString());
        Assert.Equal(email, customer.GetProperty("email").GetString());
        Assert.Equal(3, customer.GetProperty("status").GetInt32());
        Assert.Equal(1, customer.GetProperty("marketing_allowed").GetInt32());
        Assert.Equal("[\"vip\"]", customer.GetProperty("tags_json").GetString());
        Assert.True(customer.GetProperty("create_time").GetInt64() is > 1_700_000_000 and < 9_999_999_999);
        Assert.False(customer.TryGetProperty("password", out _));
        Assert.False(customer.TryGetProperty("password_hash", out _));
        Assert.DoesNotContain("pbkdf2", added.GetRawText(), StringComparison.OrdinalIgnoreCase);

        var account = await c.CallAsync("AddUser", new { group = "demo", name = "Ada", email, password = "secret1", leverage = 100, enable = 1 }, Admin);
        account.AssertOk();
        var login = account.Data().GetProperty("login").GetInt64();
        var link = await c.CallAsync("MngLinkAccountToCustomer", new { login, customer_id = id }, Admin);
        link.AssertOk();
        Assert.Equal(["login", "customer_id", "brand", "update_time"], link.Data().EnumerateObject().Select(p => p.Name));
        Assert.Equal((login, id, ""), (link.Data().GetProperty("login").GetInt64(), link.Data().GetProperty("customer_id").GetInt64(), link.Data().GetProperty("brand").GetString()));
        var read = await c.CallAsync("GetAccountByLogin", new { login }, Admin);
        Assert.Equal(id, read.Data().GetProperty("customer_id").GetInt64());

        var listed = await c.CallAsync("MngGetCustomers", new { desk }, Admin);
        listed.AssertOk();
        var row = Assert.Single(listed.Data().GetProperty("rows").EnumerateArray());
        Assert.Equal(id, row.GetProperty("customer_id").GetInt64());
        Assert.Equal(1, listed.Data().GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task The_audit_log_records_the_new_customer_without_its_password_hash()
    {
        await using var c = await fixture.ConnectAsync();
        var email = Unique("audited") + "@example.com";
        (await c.CallAsync("MngAddCustomer", new { email, password = "s3cret-pass" }, Admin)).AssertOk();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonElement reply;
        while (true)
        {
            reply = await c.CallAsync("GetLogs", new { from = 0, to = 4_102_444_800L, limit = 10, offset = 0, action = "customer.add", detail = email }, Admin);
            reply.AssertOk();
            if (reply.Data().GetProperty("rows").GetArrayLength() > 0) break;
            Assert.True(DateTime.UtcNow < deadline, "the customer.add row never reached the audit log: " + reply.GetRawText());
            await Task.Delay(100);
        }
        var text = reply.GetRawText();
        Assert.Contains(email, text, StringComparison.Ordinal);
        Assert.DoesNotContain("pbkdf2", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documented_validation_refuses_with_stable_codes_and_stores_nothing()
    {
        await using var c = await fixture.ConnectAsync();
        var open = await DeskAsync(c, brand: "Alpha");
        var archived = await DeskAsync(c, archived: true);
        var disabled = await DeskAsync(c, enable: false);
        var email = Unique("taken") + "@example.com";
        (await c.CallAsync("MngAddCustomer", new { email }, Admin)).AssertOk();
        var before = (await c.CallAsync("MngGetCustomers", new { }, Admin)).Data().GetProperty("count").GetInt32();

        async Task Refused(object data, int status, string error) => (await c.CallAsync("MngAddCustomer", data, Admin)).AssertError(status, error);
        await Refused(new { email = email.ToUpperInvariant() }, 409, "RET_DUPLICATE_RECORD"); // unique, whatever the case
        await Refused(new { desk = "NO-SUCH-DESK" }, 400, "RET_INVALID_DATA");
        await Refused(new { desk = archived }, 400, "RET_INVALID_DATA");
        await Refused(new { desk = disabled }, 400, "RET_INVALID_DATA");
        await Refused(new { desk = open, brand = "Beta" }, 400, "RET_INVALID_DATA"); // the desk's brand
        await Refused(new { password = "short" }, 400, "INVALID_DATA");
        await Refused(new { password = new string('x', 129) }, 400, "INVALID_DATA");
        await Refused(new { type = 2 }, 400, "RET_INVALID_DATA");
        await Refused(new { risk_level = 7 }, 400, "RET_INVALID_DATA");
        await Refused(new { enable_otp = 1 }, 400, "INVALID_DATA");
        await Refused(new { tags_json = "{not json" }, 400, "INVALID_DATA");
        await Refused(new { email = "nobody" }, 400, "RET_INVALID_DATA");
        await Refused(new { customer_id = -1 }, 400, "INVALID_DATA");
        Assert.Equal(before, (await c.CallAsync("MngGetCustomers", new { }, Admin)).Data().GetProperty("count").GetInt32());

        // Desks: a code twice, an unknown one to update.
        (await c.CallAsync("MngAddDesk", new { code = open }, Admin)).AssertError(409, "RET_DUPLICATE_RECORD");
        (await c.CallAsync("MngUpdateDesk", new { code = "NO-SUCH-DESK", name = "x" }, Admin)).AssertError(404, "RET_ERR_NOTFOUND");
        (await c.CallAsync("MngAddDesk", new { code = "two words" }, Admin)).AssertError(400, "RET_INVALID_DATA");
        // Re-enabling the disabled desk through MngUpdateDesk makes it usable.
        (await c.CallAsync("MngUpdateDesk", new { code = disabled, enable = 1 }, Admin)).AssertOk();
        (await c.CallAsync("MngAddCustomer", new { desk = disabled }, Admin)).AssertOk();
    }

    [Fact]
    public async Task Linking_holds_the_brand_the_mask_and_the_right()
    {
        await using var c = await fixture.ConnectAsync();
        var desk = await DeskAsync(c, brand: "Alpha");
        var alpha = (await c.CallAsync("MngAddCustomer", new { desk }, Admin)).Data().GetProperty("customer_id").GetInt64();
        var plain = (await c.CallAsync("MngAddCustomer", new { first_name = "Plain" }, Admin)).Data().GetProperty("customer_id").GetInt64();
        var login = (await c.CallAsync("AddUser", new { group = "demo", name = "Linked", email = "l@example.com", password = "secret1", leverage = 100, enable = 1 }, Admin))
            .Data().GetProperty("login").GetInt64();

        (await c.CallAsync("MngLinkAccountToCustomer", new { login, customer_id = alpha }, Admin)).AssertError(400, "RET_INVALID_DATA"); // demo has no brand
        (await c.CallAsync("MngLinkAccountToCustomer", new { login, customer_id = 987_654_321 }, Admin)).AssertError(404, "RET_ERR_NOTFOUND");
        (await c.CallAsync("MngLinkAccountToCustomer", new { login = 987_654_321, customer_id = plain }, Admin)).AssertError(404, "RET_USER_NOT_FOUND");
        (await c.CallAsync("MngLinkAccountToCustomer", new { login, customer_id = 0 }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("MngLinkAccountToCustomer", new { login }, Admin)).AssertError(400, "INVALID_DATA");

        var outside = fixture.Issue(SessionType.Manager, 4501, "vip*");
        (await c.CallAsync("MngLinkAccountToCustomer", new { login, customer_id = plain }, outside)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        var readOnly = fixture.Issue(SessionType.Manager, 4502, "*", rights: [Rights.SeeAccounts]);
        (await c.CallAsync("MngAddCustomer", new { first_name = "x" }, readOnly)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("MngAddDesk", new { code = "RO" }, readOnly)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("MngGetDesks", new { }, readOnly)).AssertOk();
        var user = (await c.CallAsync("AuthUser", new { login, password = "secret1" }, "")).Data().GetProperty("__token").GetString()!;
        (await c.CallAsync("MngGetCustomers", new { }, user)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");

        Assert.Equal(0, (await c.CallAsync("GetAccountByLogin", new { login }, Admin)).Data().GetProperty("customer_id").GetInt64());
        (await c.CallAsync("MngLinkAccountToCustomer", new { login, customer_id = plain }, Admin)).AssertOk();
        Assert.Equal(plain, (await c.CallAsync("GetAccountByLogin", new { login }, Admin)).Data().GetProperty("customer_id").GetInt64());
    }
}
