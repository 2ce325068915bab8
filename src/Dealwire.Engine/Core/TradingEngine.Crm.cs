using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// CRM desks and customers (scaletrade §7.13), and the link from a trading account to its customer. Engine state,
/// because the rules that guard them (unique e-mail, the desk's brand and status, the account's brand) must be decided
/// in one order for every gateway and replica; they hold no money.
/// </summary>
public sealed partial class TradingEngine
{
    private readonly SortedDictionary<string, DeskRecord> _desks = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, CustomerRecord> _customers = new();
    private readonly Dictionary<string, long> _customerEmails = new(StringComparer.OrdinalIgnoreCase);
    private long _nextDeskId = 1;
    private long _nextCustomerId = 1;

    public IEnumerable<DeskRecord> GetDesks() => _desks.Values;

    public IEnumerable<CustomerRecord> GetCustomers() => _customers.Values;

    private (ReturnCode, string, object?) Upsert(UpsertDesk c)
    {
        var code = c.Desk.Code.Trim().ToUpperInvariant();
        if (code.Length is 0 or > 32 || !code.All(ch => ch is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-'))
        {
            return Reject(ReturnCode.InvalidData, "desk code must be 1-32 characters of A-Z, 0-9, _ and -");
        }
        if (c.Desk.Name.Length > 128 || c.Desk.Brand.Length > 64) return Reject(ReturnCode.InvalidData, "desk name (128) or brand (64) is too long");
        var existing = _desks.GetValueOrDefault(code);
        var desk = c.Desk with { Code = code, Id = existing?.Id ?? _nextDeskId++, UpdateTime = Now };
        _desks[code] = desk;
        Emit(new DeskEvent(existing is null ? RecordChange.Add : RecordChange.Update, desk));
        return Ok(desk);
    }

    private (ReturnCode, string, object?) Add(AddCustomer c)
    {
        var customer = c.Customer with { Email = c.Customer.Email.Trim(), Desk = c.Customer.Desk.Trim().ToUpperInvariant() };
        var problem = ValidateCustomer(customer);
        if (problem is not null) return Reject(ReturnCode.InvalidData, problem);

        if (customer.Desk.Length > 0)
        {
            if (!_desks.TryGetValue(customer.Desk, out var desk)) return Reject(ReturnCode.InvalidData, $"desk {customer.Desk} does not exist");
            if (!desk.Enabled || desk.Archived) return Reject(ReturnCode.InvalidData, $"desk {customer.Desk} is {(desk.Archived ? "archived" : "disabled")}");
            if (customer.Brand.Length == 0) customer = customer with { Brand = desk.Brand };
            else if (!string.Equals(customer.Brand, desk.Brand, StringComparison.Ordinal))
            {
                return Reject(ReturnCode.InvalidData, $"desk {customer.Desk} belongs to brand '{desk.Brand}', not '{customer.Brand}'");
            }
            customer = customer with { DeskId = desk.Id };
        }
        else
        {
            customer = customer with { DeskId = 0 };
        }
        if (customer.Email.Length > 0 && _customerEmails.TryGetValue(customer.Email, out var owner))
        {
            return Reject(ReturnCode.DuplicateRecord, $"e-mail {customer.Email} belongs to customer {owner}");
        }

        var id = customer.CustomerId;
        if (id == 0)
        {
            while (_customers.ContainsKey(_nextCustomerId)) _nextCustomerId++;
            id = _nextCustomerId++;
        }
        else if (_customers.ContainsKey(id))
        {
            return Reject(ReturnCode.DuplicateRecord, $"customer {id} already exists");
        }
        if (customer.FullName.Length == 0) customer = customer with { FullName = $"{customer.FirstName} {customer.LastName}".Trim() };
        customer = customer with { CustomerId = id, CreateTime = Now, UpdateTime = Now };
        PutCustomer(customer);
        Emit(new CustomerEvent(RecordChange.Add, customer));
        return Ok(customer);
    }

    private (ReturnCode, string, object?) Link(LinkAccountToCustomer c)
    {
        if (!_accounts.TryGetValue(c.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {c.Login} not found");
        if (c.CustomerId <= 0) return Reject(ReturnCode.InvalidData, "customer_id must be positive");
        if (!_customers.TryGetValue(c.CustomerId, out var customer)) return Reject(ReturnCode.ErrNotFound, $"customer {c.CustomerId} not found");
        var brand = account.GroupConfig.Brand;
        if (!string.Equals(brand, customer.Brand, StringComparison.Ordinal))
        {
            return Reject(ReturnCode.InvalidData,
                $"account {c.Login} (group {account.GroupConfig.Name}) belongs to brand '{brand}', customer {c.CustomerId} to brand '{customer.Brand}'");
        }
        account.Profile = account.Profile with { CustomerId = c.CustomerId, UpdateTime = Now };
        var snapshot = new AccountSnapshot(account.Profile, FiguresOf(account));
        Emit(new AccountEvent(RecordChange.Update, snapshot));
        return Ok(snapshot);
    }

    private static string? ValidateCustomer(CustomerRecord c)
    {
        if (!EntityIds.InRange(c.CustomerId) || !EntityIds.InRange(c.ManagerId) || !EntityIds.InRange(c.AssignedManagerId))
        {
            return $"ids must be 0-{EntityIds.Max}";
        }
        if (c.Type is < 0 or > 1) return "type must be 0 (individual) or 1 (business)";
        if (c.Status is < 0 or > 3) return "status must be 0 (active), 1 (blocked), 2 (archived) or 3 (prospect)";
        if (c.PepStatus is < 0 or > 2) return "pep_status must be 0 (unknown), 1 (clear) or 2 (positive)";
        if (c.SanctionsStatus is < 0 or > 3) return "sanctions_status must be 0 (unknown), 1 (clear), 2 (positive) or 3 (review)";
        if (c.RiskLevel is < 0 or > 2) return "risk_level must be 0 (low), 1 (medium) or 2 (high)";
        if (c.AmlStatus < 0 || c.KycStatus < 0 || c.SalesStatus < 0) return "aml_status, kyc_status and sales_status must not be negative";
        if (c.BirthDate < 0) return "birth_date must be Unix seconds";
        if (c.Email.Length > 0 && (c.Email.Length > 128 || c.Email.IndexOf('@', StringComparison.Ordinal) <= 0)) return "email must be an address of at most 128 characters";
        if (c.TagsJson.Length > 4096) return "tags_json must be at most 4096 characters";
        string[] texts =
        [
            c.ExternalId, c.FirstName, c.LastName, c.MiddleName, c.FullName, c.Citizenship, c.CountryOfResidence, c.Phone,
            c.PreferredLanguage, c.Timezone, c.Brand, c.Desk, c.LeadSource, c.Campaign, c.AffiliateId, c.IntroducerId,
            c.CrmStage, c.Segment, c.TaxId, c.NationalId,
        ];
        return texts.Any(t => t.Length > 128) ? "a text field is longer than 128 characters" : null;
    }

    private void PutCustomer(CustomerRecord customer)
    {
        _customers[customer.CustomerId] = customer;
        if (customer.Email.Length > 0) _customerEmails[customer.Email] = customer.CustomerId;
    }

    /// <summary>Hashed only once there is a desk or a customer, so the hash of a state from before CRM records is unchanged.</summary>
    private void HashCrm(StateHasher h)
    {
        if (_desks.Count == 0 && _customers.Count == 0) return;
        h.Add(_nextDeskId);
        h.Add(_nextCustomerId);
        h.Add(_desks.Count);
        foreach (var d in _desks.Values) RecordHash.Add(h, d);
        h.Add(_customers.Count);
        foreach (var c in _customers.Values) RecordHash.Add(h, c);
    }

    private void RestoreCrm(EngineSnapshot s)
    {
        foreach (var d in s.Desks) _desks[d.Code] = d;
        foreach (var c in s.Customers) PutCustomer(c);
        _nextDeskId = Math.Max(s.NextDeskId, 1);
        _nextCustomerId = Math.Max(s.NextCustomerId, 1);
    }
}
