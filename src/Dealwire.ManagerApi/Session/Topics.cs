namespace Dealwire.ManagerApi.Session;

/// <summary>Subscription topics (<c>SubscriptionTopic</c>, snake_case on the wire).</summary>
public enum Topic
{
    Prices = 0,
    CalculateUpdates = 1,
    Accounts = 2,
    Orders = 3,
    Positions = 4,
    TradingSettings = 5,
}

public static class Topics
{
    public const int Count = 6;

    public static Topic? FromWire(string? name) => name switch
    {
        "prices" => Topic.Prices,
        "calculate_updates" => Topic.CalculateUpdates,
        "accounts" => Topic.Accounts,
        "orders" => Topic.Orders,
        "positions" => Topic.Positions,
        "trading_settings" => Topic.TradingSettings,
        _ => null,
    };
}
