using Dealwire.Engine.Model;

namespace Dealwire.Engine.Commands;

/// <summary>Creates a desk (<see cref="DeskRecord.Code"/> new) or changes one; the engine assigns ids and times.</summary>
public sealed record UpsertDesk(DeskRecord Desk) : EngineCommand<DeskRecord>;

/// <summary>Creates a CRM customer; <see cref="CustomerRecord.CustomerId"/> 0 = the next free id.</summary>
public sealed record AddCustomer(CustomerRecord Customer) : EngineCommand<CustomerRecord>;

/// <summary>Links a trading account to a customer of the same brand (<c>MngLinkAccountToCustomer</c>).</summary>
public sealed record LinkAccountToCustomer(long Login, long CustomerId) : EngineCommand<AccountSnapshot>;
