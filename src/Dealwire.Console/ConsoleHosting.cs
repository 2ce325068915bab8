using System.Reflection;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Live;
using Dealwire.WebConsole.Screens;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.WebConsole;

/// <summary>
/// The dealer's web console under <c>/console</c> on the HTTP port: server-rendered pages, Server-Sent Events for the
/// live parts, one script and one style sheet. Needs from the host: <see cref="ILiveView"/>, the history store,
/// <c>EngineRunner</c>, <c>ManagerKeyStore</c>, <c>TokenService</c> and a <see cref="TimeProvider"/>.
/// </summary>
public static class ConsoleHosting
{
    public static IServiceCollection AddDealwireConsole(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<ConsoleOptions>() ?? new ConsoleOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<ConsoleSessionStore>();
        services.AddSingleton<ConsoleGuard>();
        services.AddSingleton<ConsoleCommands>();
        services.AddSingleton<Audit.ConsoleAudit>();
        services.AddSingleton<LiveChanges>();
        services.AddSingleton<Search.AccountIndex>();
        services.AddSingleton<LiveStream>();
        return services;
    }

    public static IEndpointRouteBuilder MapDealwireConsole(this IEndpointRouteBuilder endpoints)
    {
        var console = endpoints.MapGroup("/console").AddEndpointFilter(SecurityHeaders);
        console.MapGet("/signin", SignInScreen.Form);
        console.MapPost("/signin", SignInScreen.SubmitAsync);
        console.MapGet("/assets/{name}", Asset);

        var signedIn = console.MapGroup("").AddEndpointFilter<ConsoleGuard>().AddEndpointFilter(HistoryUnavailable);
        signedIn.MapGet("", () => Results.Redirect("/console/accounts"));
        signedIn.MapPost("/signout", SignInScreen.SignOut);
        signedIn.MapGet("/accounts", AccountsScreen.List);
        signedIn.MapGet("/accounts/{login:long}", AccountsScreen.CardAsync);
        signedIn.MapGet("/accounts/{login:long}/statement", StatementScreen.ShowAsync);
        signedIn.MapGet("/accounts/{login:long}/statement.csv", StatementScreen.ExportAsync);
        signedIn.MapGet("/accounts/{login:long}/statement.xlsx", StatementScreen.ExportExcelAsync);
        signedIn.MapPost("/accounts/{login:long}/enabled", AccountsScreen.SetEnabledAsync);
        signedIn.MapPost("/accounts/{login:long}/readonly", AccountsScreen.SetReadOnlyAsync);
        signedIn.MapPost("/accounts/{login:long}/leverage", AccountsScreen.SetLeverageAsync);
        signedIn.MapPost("/accounts/{login:long}/password", AccountsScreen.ResetPasswordAsync);
        signedIn.MapPost("/accounts/{login:long}/balance", BalanceScreen.ReviewAsync);
        signedIn.MapPost("/accounts/{login:long}/balance/confirm", BalanceScreen.BookAsync);
        signedIn.MapGet("/positions", PositionsScreen.List);
        signedIn.MapGet("/trades/{ticket:long}", PositionsScreen.Trade);
        signedIn.MapPost("/trades/{ticket:long}/close", PositionsScreen.CloseAsync);
        signedIn.MapPost("/trades/{ticket:long}/modify", PositionsScreen.ModifyAsync);
        signedIn.MapPost("/trades/{ticket:long}/cancel", PositionsScreen.CancelAsync);
        signedIn.MapGet("/exposure", ExposureScreen.Show);
        signedIn.MapGet("/live/exposure", ExposureScreen.Stream);
        signedIn.MapGet("/margin", MarginScreen.Show);
        signedIn.MapGet("/live/margin", MarginScreen.Stream);
        signedIn.MapGet("/margin/stopouts", StopOutScreen.ShowAsync);
        signedIn.MapGet("/audit", AuditScreen.JournalAsync);
        signedIn.MapGet("/audit/events", AuditEventsScreen.ShowAsync);
        signedIn.MapGet("/sessions", OnlineScreen.Show);
        signedIn.MapPost("/sessions/disconnect", OnlineScreen.DisconnectAsync);
        signedIn.MapGet("/history", HistoryScreen.ShowAsync);
        signedIn.MapGet("/history/export.csv", HistoryScreen.ExportAsync);
        signedIn.MapGet("/history/export.xlsx", HistoryScreen.ExportExcelAsync);
        signedIn.MapGet("/symbols", SymbolsScreen.List);
        signedIn.MapGet("/symbols/{name}", SymbolsScreen.ShowAsync);
        signedIn.MapPost("/symbols/{name}", SymbolsScreen.UpdateAsync);
        signedIn.MapGet("/groups", GroupsScreen.List);
        signedIn.MapGet("/groups/{name}", GroupsScreen.Show);
        signedIn.MapPost("/groups/{name}/margin", GroupsScreen.UpdateMarginAsync);
        signedIn.MapPost("/groups/{name}/commission", GroupsScreen.UpdateCommissionAsync);
        signedIn.MapPost("/groups/{name}/markup", GroupsScreen.UpdateMarkupAsync);
        signedIn.MapGet("/quotes", QuotesScreen.Show);
        signedIn.MapGet("/live/quotes", QuotesScreen.Stream);
        signedIn.MapGet("/system", SystemScreen.Show);
        signedIn.MapGet("/live/system", SystemScreen.Stream);
        signedIn.MapGet("/managers", ManagersScreen.List);
        signedIn.MapGet("/managers/{id:long}", ManagersScreen.Card);
        signedIn.MapPost("/managers/{id:long}", ManagersScreen.UpdateAsync);
        signedIn.MapPost("/managers/{id:long}/enabled", ManagersScreen.SetEnabledAsync);
        signedIn.MapPost("/managers/{id:long}/admin", ManagersScreen.SetAdminAsync);
        signedIn.MapPost("/managers/add", ManagersScreen.AddAsync);
        signedIn.MapPost("/managers/{id:long}/delete", ManagersScreen.DeleteAsync);
        signedIn.MapGet("/live/account/{login:long}", AccountStream);
        signedIn.MapGet("/live/positions", PositionsScreen.StreamPositions);
        signedIn.MapGet("/live/orders", PositionsScreen.StreamOrders);
        return endpoints;
    }

    private static async Task AccountStream(HttpContext http, long login, ILiveView view, LiveStream stream)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Security.Rights.SeeAccounts))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await stream.RunAsync(http, session, () => AccountsScreen.Visible(session, view, login) is { } a ? AccountsScreen.Figures(a) : null);
    }

    /// <summary>
    /// A screen whose history read the store cannot serve (the database is down, or the projector has stopped) answers
    /// 503 with the store's reason on the console's own page, rather than an empty 500. An export already streaming
    /// cannot turn into a page: it ends there, as any broken download does.
    /// </summary>
    private static async ValueTask<object?> HistoryUnavailable(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (HistoryUnavailableException ex) when (!context.HttpContext.Response.HasStarted)
        {
            return Page.Render(ConsoleGuard.Current(context.HttpContext), "History unavailable", "",
                Page.Notice($"history unavailable: {ex.Message}", error: true), StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>No framing by other sites, no inline script, nothing cached: the pages carry account data and tokens.</summary>
    private static async ValueTask<object?> SecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        if (!context.HttpContext.Request.Path.StartsWithSegments("/console/assets")) headers.CacheControl = "no-store";
        return await next(context);
    }

    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch { ".js" => "text/javascript", ".css" => "text/css", _ => null };
        var stream = type is null ? null : typeof(ConsoleHosting).Assembly.GetManifestResourceStream("console/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type + "; charset=utf-8");
    }
}
