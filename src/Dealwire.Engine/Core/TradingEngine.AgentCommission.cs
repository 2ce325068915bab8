using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// Agent (introducing broker) commission: paid by the broker to the account named in the client's
/// <see cref="AccountProfile.AgentAccount"/> on every opening deal, by the group-security's agent
/// settings. The client is not charged; the agent's balance gets a <see cref="LedgerKind.AgentCommission"/>
/// finance operation (its own ticket, in the agent's history, so the history explains the balance) and
/// the position records the amount in <see cref="Trade.AgentCommission"/> (agent's currency).
/// </summary>
public sealed partial class TradingEngine
{
    private void PayAgentCommission(Trade t, int volume, decimal price, ConversionRate profitRate)
    {
        var client = t.Account;
        var agentLogin = client.Profile.AgentAccount;
        if (agentLogin == 0 || agentLogin == client.Login || !_accounts.TryGetValue(agentLogin, out var agent)) return;
        var sec = SecurityFor(client.GroupConfig, t.Symbol.Config);
        if (sec.AgentCommission == 0) return;
        var amount = Commissions.Amount(sec.AgentCommission, sec.AgentCommissionType, sec.AgentCommissionBase, t.Symbol, volume, price, profitRate);
        var toAgent = FindConverter(client.GroupConfig.Currency, agent.GroupConfig.Currency).Rate();
        if (!toAgent.IsKnown) return; // no pair links the two currencies: nothing can be paid exactly
        var paid = Money.Round(toAgent.Apply(amount), agent.GroupConfig.CurrencyDigits);
        if (paid == 0) return;
        BookFinance(agent, LedgerKind.AgentCommission, paid, $"agent commission #{t.Ticket} from {client.Login}");
        t.AgentCommission += paid;
        EvaluateLevel(agent);
    }
}
