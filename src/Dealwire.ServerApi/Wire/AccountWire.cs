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
        w.WriteNumber(Names.Login, m.Login);
        w.WriteString(Names.Group, m.Group);
        w.WriteNumber(Names.Leverage, m.Leverage);
        w.WriteString(Names.Currency, m.Currency);
        WriteMoney(w, m);
        w.WriteNumber(Names.MarginType, (int)m.LevelUnit);
        w.WriteEndObject();
    }

    /// <summary>The money figures of GetUserBalanceList rows and balance:event data.</summary>
    public static void WriteMoney(Utf8JsonWriter w, MarginSnapshot m)
    {
        w.WriteNumber(Names.Balance, m.Balance);
        w.WriteNumber(Names.Credit, m.Credit);
        w.WriteNumber(Names.Profit, m.Profit);
        w.WriteNumber(Names.Commission, m.Commission);
        w.WriteNumber(Names.Storage, m.Swap);
        w.WriteNumber(Names.Margin, m.Margin);
        w.WriteNumber(Names.MarginFree, m.FreeMargin);
        w.WriteNumber(Names.MarginLevel, m.MarginLevel);
        w.WriteNumber(Names.Equity, m.Equity);
        w.WriteNumber(Names.LevelType, (int)m.LevelType);
    }

    /// <summary>
    /// The margin figures' member names, escaped once: they go out in every balance:event, one per close or deposit
    /// (a name given as a span is checked for characters to escape on every write).
    /// </summary>
    private static class Names
    {
        public static readonly JsonEncodedText Login = JsonEncodedText.Encode("login"u8);
        public static readonly JsonEncodedText Group = JsonEncodedText.Encode("group"u8);
        public static readonly JsonEncodedText Leverage = JsonEncodedText.Encode("leverage"u8);
        public static readonly JsonEncodedText Currency = JsonEncodedText.Encode("currency"u8);
        public static readonly JsonEncodedText MarginType = JsonEncodedText.Encode("margin_type"u8);
        public static readonly JsonEncodedText Balance = JsonEncodedText.Encode("balance"u8);
        public static readonly JsonEncodedText Credit = JsonEncodedText.Encode("credit"u8);
        public static readonly JsonEncodedText Profit = JsonEncodedText.Encode("profit"u8);
        public static readonly JsonEncodedText Commission = JsonEncodedText.Encode("commission"u8);
        public static readonly JsonEncodedText Storage = JsonEncodedText.Encode("storage"u8);
        public static readonly JsonEncodedText Margin = JsonEncodedText.Encode("margin"u8);
        public static readonly JsonEncodedText MarginFree = JsonEncodedText.Encode("margin_free"u8);
        public static readonly JsonEncodedText MarginLevel = JsonEncodedText.Encode("margin_level"u8);
        public static readonly JsonEncodedText Equity = JsonEncodedText.Encode("equity"u8);
        public static readonly JsonEncodedText LevelType = JsonEncodedText.Encode("level_type"u8);
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
