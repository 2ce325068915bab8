namespace Dealwire.Client.Tests.Infrastructure;

/// <summary>Polls a condition (for things that happen on other threads), failing with a message after a timeout.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {because}.");
            await Task.Delay(10);
        }
    }
}
