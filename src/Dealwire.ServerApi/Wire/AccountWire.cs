using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Wire;

/// <summary>AccountRecord and MarginLevel on the wire (scaletrade-model §4.5, §4.6). Passwords never leave.</summary>
internal static class AccountWire
{
    /// <summary>Columns of GetAccountsByGroup (scaletrade-tcp §7.3).</summary>
    public static readonly string[] GroupColumns =
    [
        "login", "enable", "enable_read_only", "enable_change_password", "leverage", "currency", "group", "email",
        "country", "phone", "comment", "address", "city", "zipcode", "name", "regdate", "prevbalance",
        "prevmonthbalance", "balance", "credit", "margin", "margin_free", "margin_level", "equity",
    ];

    /// <summary>Columns of GetUsersByFilter: the group columns plus the money figures filters and totals use.</summary>
    public static readonly string[] FilterColumns =
    [
        .. GroupColumns, "profit", "net_profit", "storage", "commission", "level_type", "state", "status", "id",
        "lead_source", "magic", "customer_id", "agent_account", "update_time",
    ];

    public static void Write(Utf8JsonWriter w, AccountSnapshot a)
    {
        var p = a.Profile;
        var m = a.Margin;
        w.WriteStartObject();
        w.WriteNumber("login", p.Login);
        w.WriteString("group", p.Group);
        w.WriteNumber("enable", p.Enabled ? 1 : 0);
        w.WriteNumber("enable_change_password", p.ChangePasswordAllowed ? 1 : 0);
        w.WriteNumber("enable_read_only", p.ReadOnly ? 1 : 0);
        w.WriteNumber("enable_otp", p.OtpEnabled ? 1 : 0);
        w.WriteString("name", p.Name);
        w.WriteString("country", p.Country);
        w.WriteString("city", p.City);
        w.WriteString("state", p.State);
        w.WriteString("zipcode", p.ZipCode);
        w.WriteString("address", p.Address);
        w.WriteString("lead_source", p.LeadSource);
        w.WriteString("phone", p.Phone);
        w.WriteString("email", p.Email);
        w.WriteString("comment", p.Comment);
        w.WriteString("id", p.ExternalId);
        w.WriteString("status", p.Status);
        w.WriteNumber("regdate", WireTime.ToSeconds(p.RegistrationTime));
        w.WriteNumber("leverage", p.Leverage > 0 ? p.Leverage : m.Leverage);
        w.WriteNumber("agent_account", p.AgentAccount);
        w.WriteNumber("send_reports", p.SendReports ? 1 : 0);
        w.WriteString("user_color", p.UserColor);
        w.WriteString("api_data", p.ApiData);
        w.WriteNumber("magic", p.Magic);
        w.WriteNumber("customer_id", p.CustomerId);
        w.WriteNumber("update_time", WireTime.ToSeconds(p.UpdateTime));
        w.WriteString("currency", m.Currency);
        w.WriteNumber("balance", m.Balance);
        w.WriteNumber("prevbalance", m.PreviousDayBalance);
        w.WriteNumber("prevmonthbalance", m.PreviousMonthBalance);
        w.WriteNumber("credit", m.Credit);
        w.WriteNumber("equity", m.Equity);
        w.WriteNumber("margin", m.Margin);
        w.WriteNumber("margin_free", m.FreeMargin);
        w.WriteNumber("margin_level", m.MarginLevel);
        w.WriteEndObject();
    }

    public static void WriteMargin(Utf8JsonWriter w, MarginSnapshot m)
    {
        w.WriteStartObject();
        w.WriteNumber("login", m.Login);
        w.WriteString("group", m.Group);
        w.WriteNumber("leverage", m.Leverage);
        w.WriteString("currency", m.Currency);
        WriteMoney(w, m);
        w.WriteNumber("margin_type", (int)m.LevelUnit);
        w.WriteEndObject();
    }

    /// <summary>The money figures of GetUserBalanceList rows and balance:event data.</summary>
    public static void WriteMoney(Utf8JsonWriter w, MarginSnapshot m)
    {
        w.WriteNumber("balance", m.Balance);
        w.WriteNumber("credit", m.Credit);
        w.WriteNumber("profit", m.Profit);
        w.WriteNumber("commission", m.Commission);
        w.WriteNumber("storage", m.Swap);
        w.WriteNumber("margin", m.Margin);
        w.WriteNumber("margin_free", m.FreeMargin);
        w.WriteNumber("margin_level", m.MarginLevel);
        w.WriteNumber("equity", m.Equity);
        w.WriteNumber("level_type", (int)m.LevelType);
    }

    /// <summary>One cell of an account table row, by column name.</summary>
    public static object Cell(AccountSnapshot a, string column)
    {
        var p = a.Profile;
        var m = a.Margin;
        return column switch
        {
            "login" => p.Login,
            "enable" => p.Enabled ? 1L : 0L,
            "enable_read_only" => p.ReadOnly ? 1L : 0L,
            "enable_change_password" => p.ChangePasswordAllowed ? 1L : 0L,
            "leverage" => (long)(p.Leverage > 0 ? p.Leverage : m.Leverage),
            "currency" => m.Currency,
            "group" => p.Group,
            "email" => p.Email,
            "country" => p.Country,
            "phone" => p.Phone,
            "comment" => p.Comment,
            "address" => p.Address,
            "city" => p.City,
            "zipcode" => p.ZipCode,
            "name" => p.Name,
            "regdate" => WireTime.ToSeconds(p.RegistrationTime),
            // Balances when the previous day / month ended (the engine's end of day, at the rollover).
            "prevbalance" => m.PreviousDayBalance,
            "prevmonthbalance" => m.PreviousMonthBalance,
            "balance" => m.Balance,
            "credit" => m.Credit,
            "margin" => m.Margin,
            "margin_free" => m.FreeMargin,
            "margin_level" => m.MarginLevel,
            "equity" => m.Equity,
            "profit" => m.Profit,
            "net_profit" => m.Profit + m.Swap + m.Commission,
            "storage" => m.Swap,
            "commission" => m.Commission,
            "level_type" => (long)m.LevelType,
            "state" => p.State,
            "status" => p.Status,
            "id" => p.ExternalId,
            "lead_source" => p.LeadSource,
            "magic" => p.Magic,
            "customer_id" => p.CustomerId,
            "agent_account" => p.AgentAccount,
            "update_time" => WireTime.ToSeconds(p.UpdateTime),
            _ => throw Protocol.ProtocolException.InvalidData($"unknown account field '{column}'"),
        };
    }
}
