using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Queries;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// CRM customers and desks (scaletrade-tcp §7.13, model §4.14): <c>MngAddCustomer</c> and
/// <c>MngLinkAccountToCustomer</c> as documented; the desk and read commands the spec leaves as [GAP] are Dealwire's
/// (<c>MngAddDesk</c>, <c>MngUpdateDesk</c>, <c>MngGetDesks</c>, <c>MngGetCustomers</c>). Passwords are hashed here and never
/// written back; the rules that need the whole state (desk status and brand, unique e-mail, account brand) are the
/// engine's, so every gateway decides them in one order.
/// </summary>
internal static class CustomerCommands
{
    public static void Register(CommandTable table)
    {
        table.Add("MngAddCustomer", AddCustomer);
        table.Add("MngLinkAccountToCustomer", LinkAccount);
        table.Add("MngGetCustomers", GetCustomers);
        table.Add("MngAddDesk", AddDesk);
        table.Add("MngUpdateDesk", UpdateDesk);
        table.Add("MngGetDesks", GetDesks);
    }

    private static async ValueTask<Reply> AddCustomer(CommandContext c)
    {
        var d = c.Data;
        var password = d.OptionalString("password", 128);
        if (password is not null && password.Length < 6) throw ProtocolException.InvalidData("password must be 6-128 characters");
        var desk = d.OptionalString("desk", 32) ?? "";
        if (desk.Length == 0 && d.NullableLong("desk_id") is { } deskId and > 0)
        {
            desk = (await c.ReadAsync(v => v.GetDesks().FirstOrDefault(x => x.Id == deskId)))?.Code
                ?? throw ProtocolException.InvalidData($"desk {deskId} does not exist");
        }
        var customer = new CustomerRecord
        {
            CustomerId = FieldRanges.Check("customer_id", d.OptionalLong("customer_id")),
            ExternalId = Text(d, "external_id"),
            Type = d.OptionalInt("type"),
            Status = d.OptionalInt("status"),
            Enable = d.OptionalFlag("enable") ?? true,
            EnableOtp = OtpOff(d),
            FirstName = Text(d, "first_name"),
            LastName = Text(d, "last_name"),
            MiddleName = Text(d, "middle_name"),
            FullName = Text(d, "full_name"),
            BirthDate = d.OptionalLong("birth_date"),
            Citizenship = Text(d, "citizenship"),
            CountryOfResidence = Text(d, "country_of_residence"),
            Email = Text(d, "email"),
            Phone = Text(d, "phone"),
            PreferredLanguage = Text(d, "preferred_language"),
            Timezone = Text(d, "timezone"),
            Brand = d.OptionalString("brand", 64) ?? "",
            Desk = desk,
            ManagerId = FieldRanges.Check("manager_id", d.OptionalLong("manager_id")),
            AssignedManagerId = FieldRanges.Check("assigned_manager_id", d.OptionalLong("assigned_manager_id")),
            LeadSource = Text(d, "lead_source"),
            Campaign = Text(d, "campaign"),
            AffiliateId = Text(d, "affiliate_id"),
            IntroducerId = Text(d, "introducer_id"),
            CrmStage = Text(d, "crm_stage"),
            Segment = Text(d, "segment"),
            TagsJson = TagsJson(d),
            EmailVerified = d.OptionalFlag("email_verified") ?? false,
            PhoneVerified = d.OptionalFlag("phone_verified") ?? false,
            MarketingAllowed = d.OptionalFlag("marketing_allowed") ?? false,
            TaxId = Text(d, "tax_id"),
            NationalId = Text(d, "national_id"),
            PepStatus = d.OptionalInt("pep_status"),
            SanctionsStatus = d.OptionalInt("sanctions_status"),
            RiskLevel = d.OptionalInt("risk_level"),
            AmlStatus = d.OptionalInt("aml_status"),
            KycStatus = d.OptionalInt("kyc_status"),
            SalesStatus = d.OptionalInt("sales_status"),
            PasswordHash = password is null ? "" : PasswordHash.Create(password),
        };
        var added = await c.SubmitSyncAsync(new AddCustomer(customer) { Actor = c.Actor });
        return Reply.Ok(w => CustomerWire.Write(w, added));
    }

    private static async ValueTask<Reply> LinkAccount(CommandContext c)
    {
        var login = c.Data.RequireLong("login");
        var customerId = c.Data.RequireLong("customer_id");
        if (customerId <= 0) throw ProtocolException.InvalidData("customer_id must be positive");
        await c.RequireAccountAsync(login);
        var linked = await c.SubmitSyncAsync(new LinkAccountToCustomer(login, customerId) { Actor = c.Actor });
        var customer = await c.ReadAsync(v => v.GetCustomer(customerId));
        return Reply.Object(w =>
        {
            w.WriteNumber("login", linked.Profile.Login);
            w.WriteNumber("customer_id", linked.Profile.CustomerId);
            w.WriteString("brand", customer?.Brand ?? "");
            w.WriteNumber("update_time", WireTime.ToSeconds(linked.Profile.UpdateTime));
        });
    }

    /// <summary>Customers, paged (<c>limit</c>/<c>offset</c>), optionally of one <c>brand</c> or <c>desk</c>.</summary>
    private static async ValueTask<Reply> GetCustomers(CommandContext c)
    {
        var brand = c.Data.OptionalString("brand", 64);
        var desk = c.Data.OptionalString("desk", 32)?.ToUpperInvariant();
        var rows = (await c.ReadAsync(v => v.GetCustomers().ToList()))
            .Where(x => (brand is null || x.Brand == brand) && (desk is null || x.Desk == desk)).ToList();
        var page = Paging.Page(c.Data, rows);
        return Reply.Object(w =>
        {
            w.WriteStartArray("rows");
            foreach (var customer in page) CustomerWire.Write(w, customer);
            w.WriteEndArray();
            w.WriteNumber("count", rows.Count);
        });
    }

    private static ValueTask<Reply> AddDesk(CommandContext c) => PutDesk(c, create: true);

    private static ValueTask<Reply> UpdateDesk(CommandContext c) => PutDesk(c, create: false);

    /// <summary>
    /// <c>MngAddDesk</c>: <c>code</c> Y (new), <c>name</c>, <c>brand</c>, <c>enable</c>, <c>archived</c>. <c>MngUpdateDesk</c>: <c>code</c>
    /// Y (existing) and the fields to change.
    /// </summary>
    private static async ValueTask<Reply> PutDesk(CommandContext c, bool create)
    {
        var d = c.Data;
        var code = d.RequireString("code", 32).Trim().ToUpperInvariant();
        var existing = await c.ReadAsync(v => v.GetDesks().FirstOrDefault(x => x.Code == code));
        if (create && existing is not null) throw ProtocolException.Rejected(ReturnCode.DuplicateRecord, $"desk {code} already exists");
        if (!create && existing is null) throw ProtocolException.Rejected(ReturnCode.ErrNotFound, $"desk {code} does not exist");
        var desk = (existing ?? new DeskRecord { Code = code }) with
        {
            Name = d.OptionalString("name", 128) ?? existing?.Name ?? "",
            Brand = d.OptionalString("brand", 64) ?? existing?.Brand ?? "",
            Enabled = d.OptionalFlag("enable") ?? existing?.Enabled ?? true,
            Archived = d.OptionalFlag("archived") ?? existing?.Archived ?? false,
        };
        var stored = await c.SubmitSyncAsync(new UpsertDesk(desk) { Actor = c.Actor });
        return Reply.Object(w => WriteDesk(w, stored, inObject: true));
    }

    private static async ValueTask<Reply> GetDesks(CommandContext c)
    {
        var rows = await c.ReadAsync(v => v.GetDesks().ToList());
        return Reply.Object(w =>
        {
            w.WriteStartArray("rows");
            foreach (var desk in rows) WriteDesk(w, desk, inObject: false);
            w.WriteEndArray();
            w.WriteNumber("count", rows.Count);
        });
    }

    private static void WriteDesk(Utf8JsonWriter w, DeskRecord desk, bool inObject)
    {
        if (!inObject) w.WriteStartObject();
        w.WriteNumber("id", desk.Id);
        w.WriteString("code", desk.Code);
        w.WriteString("name", desk.Name);
        w.WriteString("brand", desk.Brand);
        w.WriteNumber("enable", desk.Enabled ? 1 : 0);
        w.WriteNumber("archived", desk.Archived ? 1 : 0);
        w.WriteNumber("update_time", WireTime.ToSeconds(desk.UpdateTime));
        if (!inObject) w.WriteEndObject();
    }

    private static string Text(DataReader d, string name) => d.OptionalString(name, 128) ?? "";

    /// <summary><c>tags_json</c>: a JSON document as text (4096 characters at most), checked to parse.</summary>
    private static string TagsJson(DataReader d)
    {
        var text = d.OptionalString("tags_json", 4096) ?? "";
        if (text.Length == 0) return "";
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw ProtocolException.InvalidData("tags_json must be a JSON document");
        }
        return text;
    }

    /// <summary>One-time passwords are not built (as for managers): asking for them is refused, not silently ignored.</summary>
    private static bool OtpOff(DataReader d)
    {
        if (d.OptionalFlag("enable_otp") == true) throw ProtocolException.InvalidData("enable_otp can only be 0: one-time passwords are not supported");
        return false;
    }
}
