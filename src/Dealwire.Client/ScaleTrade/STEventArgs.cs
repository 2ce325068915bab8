using System.Text.Json;

namespace ScaleTrade;

/// <summary>A quote tick for <see cref="STPlatform.Quote"/>.</summary>
public sealed class QuoteEventArgs : EventArgs
{
    internal QuoteEventArgs(Dealwire.Client.Quote quote)
    {
        Symbol = quote.Symbol;
        Bid = quote.Bid;
        Ask = quote.Ask;
        Time = quote.Time;
    }

    /// <summary>Symbol.</summary>
    public string Symbol { get; }

    /// <summary>Bid.</summary>
    public decimal Bid { get; }

    /// <summary>Ask.</summary>
    public decimal Ask { get; }

    /// <summary>Server time of the tick, Unix seconds.</summary>
    public long Time { get; }

    /// <summary>Server time of the tick (UTC).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(Time);
}

/// <summary>A notification for <see cref="STPlatform.Notify"/>.</summary>
public sealed class NotifyEventArgs : EventArgs
{
    internal NotifyEventArgs(Dealwire.Client.Notification n)
    {
        Message = n.Message;
        Description = n.Description;
        Token = n.Token;
        Status = n.Status;
        Level = (int)n.Level;
        UserId = n.UserId;
        CreateTime = n.CreateTime;
        Data = n.Data;
        Code = n.Code;
    }

    /// <summary>Title.</summary>
    public string Message { get; }

    /// <summary>Body text.</summary>
    public string Description { get; }

    /// <summary>Unique token.</summary>
    public string Token { get; }

    /// <summary>0 waiting, 1 sent, 2 read.</summary>
    public int Status { get; }

    /// <summary>10 INFO, 20 WARNING, 30 ERROR, 40 PROMO, 50 MARKETING, 60 NEWS.</summary>
    public int Level { get; }

    /// <summary>Recipient login.</summary>
    public long UserId { get; }

    /// <summary>Unix seconds.</summary>
    public long CreateTime { get; }

    /// <summary>Structured data, if any.</summary>
    public JsonElement? Data { get; }

    /// <summary>Result code.</summary>
    public int Code { get; }
}
