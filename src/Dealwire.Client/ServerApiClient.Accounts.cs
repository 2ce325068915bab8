using System.Text.Json;
using Dealwire.Client.Protocol;

namespace Dealwire.Client;

public sealed partial class ServerApiClient
{
    /// <summary><c>MngAddAccount</c>: creates a trading account; returns its login.</summary>
    public Task<AccountResult> CreateAccountAsync(NewAccount account, CancellationToken cancellationToken = default) =>
        CallAsync("MngAddAccount", account, ClientJsonContext.Default.NewAccount, ClientJsonContext.Default.AccountResult, cancellationToken);

    /// <summary><c>MngUpdateAccount</c>: changes an account's profile, group or leverage.</summary>
    public Task<AccountResult> UpdateAccountAsync(AccountUpdate account, CancellationToken cancellationToken = default) =>
        CallAsync("MngUpdateAccount", account, ClientJsonContext.Default.AccountUpdate, ClientJsonContext.Default.AccountResult, cancellationToken);

    /// <summary><c>MngDeleteAccount</c>: deletes an account without open positions (409 <c>RET_USR_HAS_TRADES</c> otherwise).</summary>
    public Task DeleteAccountAsync(long login, CancellationToken cancellationToken = default) =>
        SendAsync("MngDeleteAccount", JsonSerializer.SerializeToUtf8Bytes(new LoginRequest(login), ClientJsonContext.Default.LoginRequest), cancellationToken);

    /// <summary><c>GetAccountByLogin</c>: one account's profile and money figures.</summary>
    public Task<AccountInfo> GetAccountAsync(long login, CancellationToken cancellationToken = default) =>
        CallAsync("GetAccountByLogin", new LoginRequest(login), ClientJsonContext.Default.LoginRequest, ClientJsonContext.Default.AccountInfo, cancellationToken);

    /// <summary><c>GetAccountsByGroup</c>: accounts whose group matches the mask (<c>*</c> wildcards).</summary>
    public async Task<IReadOnlyList<AccountInfo>> GetAccountsByGroupAsync(string groupMask = "*", CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new GroupMaskRequest(groupMask), ClientJsonContext.Default.GroupMaskRequest);
        var data = await SendAsync("GetAccountsByGroup", body, cancellationToken).ConfigureAwait(false);
        return TableReader.Records("GetAccountsByGroup", data, ClientJsonContext.Default.AccountInfo);
    }

    /// <summary><c>GetUserBalanceList</c>: money figures of several accounts.</summary>
    public async Task<IReadOnlyList<AccountMargin>> GetBalancesAsync(IReadOnlyCollection<long> logins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logins);
        var body = JsonSerializer.SerializeToUtf8Bytes(new LoginsRequest(logins), ClientJsonContext.Default.LoginsRequest);
        var data = await SendAsync("GetUserBalanceList", body, cancellationToken).ConfigureAwait(false);
        return TableReader.Records("GetUserBalanceList", data, ClientJsonContext.Default.AccountMargin);
    }
}
