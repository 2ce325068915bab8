using Dealwire.Security;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>How a command is held inside the caller's group mask (a user session's "mask" is its own login).</summary>
internal enum MaskRule
{
    /// <summary>Touches no account or group data (prices, symbol specifications, the caller's own subscriptions).</summary>
    None,

    /// <summary>Reads: rows of accounts outside the mask are left out.</summary>
    Filtered,

    /// <summary>The account named by <c>login</c> (every login of a list) must lie in the mask: 404 unknown, 403 outside.</summary>
    TargetAccount,

    /// <summary>The account owning the trade named by <c>order</c> must lie in the mask: 404 unknown, 403 outside.</summary>
    TargetTrade,

    /// <summary>The group named by <c>group</c> (a new account's group, or the group itself) must lie in the mask.</summary>
    TargetGroup,

    /// <summary>
    /// Global configuration: every group the change reaches must lie in the mask — groups whose symbol groups
    /// (<c>secgroups</c>, none = all) include the changed symbols, and groups of accounts holding trades in them.
    /// </summary>
    AffectedGroups,

    /// <summary>The recipient account must lie in the mask; <c>user_id</c> 0 (broadcast) is for admins only.</summary>
    NotifyRecipient,
}

/// <summary>The access a command needs: session types and right, and how it is held inside the mask.</summary>
internal sealed record CommandRights(Access Access, MaskRule Mask);

/// <summary>
/// The rights matrix of the Server API: the single source of who may run which command. <see cref="CommandTable"/>
/// refuses to register a command missing from it, so a new command cannot ship without a decision here;
/// docs/server-api.md ("Rights matrix") publishes it and a test holds the two equal.
/// </summary>
internal static class RightsMatrix
{
    private static readonly StaffRight Prices = StaffRight.NotNeeded("prices and symbol specifications are public to every session, as in a trading terminal");
    private static readonly StaffRight OwnSubscriptions = StaffRight.NotNeeded("changes only the caller's own quote subscriptions");

    public static IReadOnlyDictionary<string, CommandRights> Commands { get; } = Build();

    /// <summary>The entry of a command; a name without one is a programming error.</summary>
    public static CommandRights For(string command) =>
        Commands.TryGetValue(command, out var entry)
            ? entry
            : throw new InvalidOperationException($"command {command} has no entry in the rights matrix (Dispatch/RightsMatrix.cs)");

    private static Dictionary<string, CommandRights> Build()
    {
        var m = new Dictionary<string, CommandRights>(StringComparer.Ordinal);
        void Add(CommandRights rights, params string[] names)
        {
            foreach (var name in names) m.Add(name, rights);
        }

        // Sign-in.
        Add(new(Access.Public("login and password are the credential"), MaskRule.None), "AuthUser");
        Add(new(Access.AdminOnly(), MaskRule.None), "SSOAuthUser");

        // Quotes.
        Add(new(Access.Everyone(OwnSubscriptions), MaskRule.None), "Subscribe", "Unsubscribe", "SubscribeAll", "UnsubscribeAll");

        // Accounts.
        Add(new(Access.Staff(StaffRight.Needs(Rights.SetAccounts)), MaskRule.TargetGroup), "MngAddAccount", "AddUser");
        Add(new(Access.Staff(StaffRight.Needs(Rights.SetAccounts)), MaskRule.TargetAccount), "MngUpdateAccount", "UpdateUser");
        Add(new(Access.Staff(StaffRight.Needs(Rights.DeleteAccounts)), MaskRule.TargetAccount), "MngDeleteAccount", "DeleteUser", "DeleteUsersList");
        Add(new(Access.Everyone(StaffRight.Needs(Rights.SeeAccounts)), MaskRule.TargetAccount), "GetAccountByLogin");
        Add(new(Access.Staff(StaffRight.Needs(Rights.SeeAccounts)), MaskRule.Filtered), "GetAccountsByGroup");
        Add(new(Access.Everyone(StaffRight.Needs(Rights.SeeAccounts)), MaskRule.Filtered), "GetUsers", "GetUsersByFilter");
        Add(new(Access.Staff(StaffRight.Needs(Rights.SeeBalance)), MaskRule.Filtered), "GetUserBalanceList");

        // Balance and credit.
        Add(new(Access.Staff(StaffRight.Needs(Rights.SetBalance)), MaskRule.TargetAccount),
            "BalanceIn", "BalanceInSync", "BalanceOut", "BalanceOutSync", "CreditIn", "CreditInSync", "CreditOut", "CreditOutSync");
        Add(new(Access.Staff(StaffRight.Needs(Rights.DeleteBalance)), MaskRule.TargetTrade),
            "DeleteBalance", "DeleteBalanceSync", "DeleteCredit", "DeleteCreditSync");

        // Trades.
        Add(new(Access.Staff(StaffRight.Needs(Rights.SetTrades)), MaskRule.TargetAccount), "MngOpenTrade", "MngOpenTradeSync", "MngOpenPendingTrade");
        Add(new(Access.Staff(StaffRight.Needs(Rights.SetTrades)), MaskRule.TargetTrade),
            "MngCloseTrade", "MngCloseTradeSync", "MngUpdateTrade", "MngUpdateTradeSync", "MngUpdateOpenTradeSync", "MngUpdateCloseTradeSync",
            "MngUpdatePendingTradeSync", "MngCancelTrade", "MngCancelPendingTrade", "MngRestoreTrade");
        Add(new(Access.Staff(StaffRight.Needs(Rights.DeleteTrades)), MaskRule.TargetTrade), "MngDeleteTrade");
        Add(new(Access.Staff(StaffRight.Needs(Rights.SeeTrades)), MaskRule.Filtered), "MngGetTradesByFilter", "GetTradesByGroup");
        Add(new(Access.Everyone(StaffRight.Needs(Rights.SeeTrades)), MaskRule.TargetAccount), "GetTradesHistoryByLogin");
        Add(new(Access.Everyone(StaffRight.Needs(Rights.SeeTrades)), MaskRule.Filtered), "GetTrades", "GetSymbolsSummary");
        // Exports: the export right (the rows are still only those the session may see).
        Add(new(Access.Staff(StaffRight.Needs(Rights.SeeExport)), MaskRule.Filtered), "MngExportTradesByFilter");
        Add(new(Access.Everyone(StaffRight.Needs(Rights.SeeExport)), MaskRule.TargetAccount), "ExportTradesByLogin");

        // Configuration: symbols, symbol groups, groups.
        Add(new(Access.Everyone(Prices), MaskRule.None), "GetSymbols", "GetSymbol", "GetSymbolGroups");
        Add(new(Access.Everyone(Prices), MaskRule.None), "GetChartData");
        Add(new(Access.Staff(StaffRight.Needs(Rights.Config)), MaskRule.AffectedGroups),
            "AddSymbol", "UpdateSymbol", "DeleteSymbol", "AddSymbolGroup", "UpdateSymbolGroup", "DeleteSymbolGroup");
        Add(new(Access.Staff(StaffRight.NotNeeded("a manager reads the settings of the groups it serves")), MaskRule.Filtered), "GetGroups");
        Add(new(Access.Staff(StaffRight.Needs(Rights.Config)), MaskRule.TargetGroup), "AddGroup", "UpdateGroup", "DeleteGroup");

        // Charts: candles are prices, public like quotes; edits change what every chart shows.
        Add(new(Access.Staff(StaffRight.Needs(Rights.Config)), MaskRule.None),
            "ImportChartData", "DeleteChartCandle", "UpdateChartCandle", "DeleteChartPeriod", "FixSpikeCandle", "SyncChartData");

        // Notifications and managers.
        Add(new(Access.Staff(StaffRight.Needs(Rights.Email)), MaskRule.NotifyRecipient), "MngAddNotify");
        Add(new(Access.AdminOrManager(StaffRight.NotNeeded("a manager sees itself and the managers inside its mask")), MaskRule.Filtered), "GetManagers");
        // Manager records (mgr15): sign-in is public like AuthUser; changing managers is for admins.
        Add(new(Access.Public("manager id or e-mail and password are the credential"), MaskRule.None), "AuthManager");
        Add(new(Access.AdminOnly(), MaskRule.None), "AddManager", "UpdateManager", "DeleteManager");

        // CRM customers and desks: customers belong to no group, so creating one needs the account right and no mask;
        // linking holds the account inside the mask. Desks are server configuration.
        Add(new(Access.Staff(StaffRight.Needs(Rights.SetAccounts)), MaskRule.None), "MngAddCustomer");
        Add(new(Access.Staff(StaffRight.Needs(Rights.SetAccounts)), MaskRule.TargetAccount), "MngLinkAccountToCustomer");
        Add(new(Access.Staff(StaffRight.Needs(Rights.SeeAccounts)), MaskRule.None), "MngGetCustomers", "MngGetDesks");
        Add(new(Access.Staff(StaffRight.Needs(Rights.Config)), MaskRule.None), "MngAddDesk", "MngUpdateDesk");

        // Audit log (admin15): server-wide, not split by group — the logs right is what a manager needs.
        Add(new(Access.Staff(StaffRight.Needs(Rights.Logs)), MaskRule.None), "GetLogs");
        // Server configuration (admin15): managers read it, only an admin changes it (the newest spec page).
        Add(new(Access.AdminOrManager(StaffRight.Needs(Rights.Config)), MaskRule.None), "GetConfig");
        Add(new(Access.AdminOnly(), MaskRule.None), "UpdateConfig");
        // Cross pairs (admin15): symbol specifications and the currencies of the caller's groups.
        Add(new(Access.Everyone(StaffRight.NotNeeded("conversion chains are derived from symbol specifications, public like prices")), MaskRule.None), "GetCrossPairSymbols");
        return m;
    }
}
