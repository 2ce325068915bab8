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
        w.WriteNumber("login"u8, p.Login);
        w.WriteString("group"u8, p.Group);
        w.WriteNumber("enable"u8, p.Enabled ? 1 : 0);
        w.WriteNumber("enable_change_password"u8, p.ChangePasswordAllowed ? 1 : 0);
        w.WriteNumber("enable_read_only"u8, p.ReadOnly ? 1 : 0);
        w.WriteNumber("enable_otp"u8, p.OtpEnabled ? 1 : 0);
        w.WriteString("name"u8, p.Name);
        w.WriteString("country"u8, p.Country);
        w.WriteString("city"u8, p.City);
        w.WriteString("state"u8, p.State);
        w.WriteString("zipcode"u8, p.ZipCode);
        w.WriteString("address"u8, p.Address);
        w.WriteString("lead_source"u8, p.LeadSource);
        w.WriteString("phone"u8, p.Phone);
        w.WriteString("email"u8, p.Email);
        w.WriteString("comment"u8, p.Comment);
        w.WriteString("id"u8, p.ExternalId);
        w.WriteString("status"u8, p.Status);
        w.WriteNumber("regdate"u8, WireTime.ToSeconds(p.RegistrationTime));
        w.WriteNumber("leverage"u8, p.Leverage > 0 ? p.Leverage : m.Leverage);
        w.WriteNumber("agent_account"u8, p.AgentAccount);
        w.WriteNumber("send_reports"u8, p.SendReports ? 1 : 0);
        w.WriteString("user_color"u8, p.UserColor);
        w.WriteString("api_data"u8, p.ApiData);
        w.WriteNumber("magic"u8, p.Magic);
        w.WriteNumber("customer_id"u8, p.CustomerId);
        w.WriteNumber("update_time"u8, WireTime.ToSeconds(p.UpdateTime));
        w.WriteString("currency"u8, m.Currency);
        w.WriteNumber("balance"u8, m.Balance);
        w.WriteNumber("prevbalance"u8, m.PreviousDayBalance);
        w.WriteNumber("prevmonthbalance"u8, m.PreviousMonthBalance);
        w.WriteNumber("credit"u8, m.Credit);
        w.WriteNumber("equity"u8, m.Equity);
        w.WriteNumber("margin"u8, m.Margin);
        w.WriteNumber("margin_free"u8, m.FreeMargin);
        w.WriteNumber("margin_level"u8, m.MarginLevel);
        w.WriteEndObject();
    }

    public static void WriteMargin(Utf8JsonWriter w, MarginSnapshot m)
    {
        w.WriteStartObject();
        w.WriteNumber(WireNames.Login, m.Login);
        w.WriteString(WireNames.Group, m.Group);
        w.WriteNumber(WireNames.Leverage, m.Leverage);
        w.WriteString(WireNames.Currency, m.Currency);
        WriteMoney(w, m);
        w.WriteNumber(WireNames.MarginType, (int)m.LevelUnit);
        w.WriteEndObject();
    }

    /// <summary>The money figures of GetUserBalanceList rows and balance:event data.</summary>
    public static void WriteMoney(Utf8JsonWriter w, MarginSnapshot m)
    {
        w.WriteNumber(WireNames.Balance, m.Balance);
        w.WriteNumber(WireNames.Credit, m.Credit);
        w.WriteNumber(WireNames.Profit, m.Profit);
        w.WriteNumber(WireNames.Commission, m.Commission);
        w.WriteNumber(WireNames.Storage, m.Swap);
        w.WriteNumber(WireNames.Margin, m.Margin);
        w.WriteNumber(WireNames.MarginFree, m.FreeMargin);
        w.WriteNumber(WireNames.MarginLevel, m.MarginLevel);
        w.WriteNumber(WireNames.Equity, m.Equity);
        w.WriteNumber(WireNames.LevelType, (int)m.LevelType);
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
