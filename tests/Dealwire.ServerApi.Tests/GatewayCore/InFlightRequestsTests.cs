using Dealwire.Gateway.Limits;

namespace Dealwire.ServerApi.Tests.GatewayCore;

/// <summary>The requests one connection runs at once (both APIs' read loops): the limit, and the wait for all of them.</summary>
public sealed class InFlightRequestsTests
{
    [Fact]
    public async Task A_request_past_the_limit_waits_until_one_has_finished()
    {
        var requests = new InFlightRequests(2);
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        await requests.WaitForSlotAsync();
        requests.Started(Finishing(requests, first.Task));
        await requests.WaitForSlotAsync();
        requests.Started(Finishing(requests, second.Task));

        var third = requests.WaitForSlotAsync();
        await Task.Delay(50);
        Assert.False(third.IsCompleted);

        second.SetResult();
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        first.SetResult();
    }

    [Fact]
    public async Task All_ended_waits_for_every_request_started_also_past_the_trimming_of_finished_ones()
    {
        var requests = new InFlightRequests(1000);
        for (var i = 0; i < 300; i++)
        {
            await requests.WaitForSlotAsync();
            requests.Started(Finishing(requests, Task.CompletedTask));
        }
        var last = new TaskCompletionSource();
        await requests.WaitForSlotAsync();
        requests.Started(Finishing(requests, last.Task));

        var all = requests.AllEndedAsync();
        await Task.Delay(50);
        Assert.False(all.IsCompleted);
        last.SetResult();
        await all.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_limit_below_one_still_lets_one_request_run()
    {
        var requests = new InFlightRequests(0);
        await requests.WaitForSlotAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(requests.WaitForSlotAsync().IsCompleted);
    }

    private static async Task Finishing(InFlightRequests requests, Task work)
    {
        try
        {
            await work;
        }
        finally
        {
            requests.Finished();
        }
    }
}
