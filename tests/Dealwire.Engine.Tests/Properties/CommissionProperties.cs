using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Properties;

/// <summary>
/// The commission an account's snapshot reports is kept as a running sum: after long random sessions
/// with every commission setting it must still equal the open positions' commissions added up afresh,
/// in value and in decimal scale (which shows in the gateways' payloads).
/// </summary>
public class CommissionProperties
{
    [Theory]
    [InlineData(CommissionType.Money, CommissionBase.PerLot, CommissionCharge.OnOpen)]
    [InlineData(CommissionType.Pips, CommissionBase.PerDeal, CommissionCharge.OnOpenAndClose)]
    [InlineData(CommissionType.Percent, CommissionBase.PerLot, CommissionCharge.OnOpenAndClose)]
    public void Reported_commission_is_the_sum_over_open_positions(CommissionType type, CommissionBase basis, CommissionCharge charge)
    {
        foreach (var seed in new[] { 3, 77 })
        {
            var h = new EngineHarness();
            foreach (var g in h.Engine.GetGroups().ToList())
            {
                var securities = Enumerable.Range(0, 4)
                    .Select(i => new GroupSecurity { SecurityIndex = i, Commission = 3.3333m, CommissionType = type, CommissionBase = basis, CommissionCharge = charge })
                    .ToList();
                h.Ok(new UpsertGroup(g with { Securities = securities }));
            }
            new RandomSession(h, seed).Play(1500);
            var charged = h.Engine.GetAccounts(GroupMask.All)
                .SelectMany(a => h.History.GetLedger(a.Profile.Login, long.MinValue, long.MaxValue))
                .Count(l => l.Kind == LedgerKind.Commission);
            Assert.True(charged > 50, $"seed {seed}: only {charged} commissions charged");
            foreach (var a in h.Engine.GetAccounts(GroupMask.All))
            {
                decimal fresh = 0;
                foreach (var p in h.Engine.GetPositions(a.Profile.Login)) fresh += p.Commission;
                Assert.Equal(fresh, a.Margin.Commission);
                Assert.Equal(fresh.Scale, a.Margin.Commission.Scale);
            }
        }
    }
}
