using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Config;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// GetConfig / UpdateConfig (scaletrade-tcp §7.9). The engine's <see cref="ServerConfig"/> is changed by the journaled
/// UpdateServerConfig; ports and paths are installation facts (appsettings.json) that need a restart: UpdateConfig
/// leaves them as they are and says so in <c>restart_required</c> when a request asks for other values.
/// </summary>
internal static class ConfigCommands
{
    public static void Register(CommandTable table)
    {
        table.Add("GetConfig", GetConfig);
        table.Add("UpdateConfig", UpdateConfig);
    }

    private static ServerConfigView View(CommandContext c) =>
        c.Server.ConfigView ?? throw new ProtocolException(503, "RET_ERROR", "the server configuration is not available on this server");

    private static ServerInstallation Installation(CommandContext c) =>
        c.Server.Installation ?? new ServerInstallation("", 0, c.Server.Options.Port, 0, 0, 0, "", "", "");

    private static async ValueTask<Reply> GetConfig(CommandContext c)
    {
        var config = await View(c).GetAsync(c.Session.AnsweredSequence);
        var install = Installation(c);
        return Reply.Object(w => Write(w, config, install));
    }

    internal static void Write(Utf8JsonWriter w, ServerConfig cfg, ServerInstallation install)
    {
        w.WriteString("server_build", install.Build);
        w.WriteNumber("typeofdemo", cfg.TypeOfDemo);
        w.WriteNumber("timeofdemo", cfg.TimeOfDemo);
        w.WriteNumber("timezone", cfg.TimeZone);
        w.WriteNumber("antiflood", cfg.AntiFlood);
        w.WriteNumber("floodcontrol", cfg.FloodControl);
        w.WriteNumber("daylightcorrection", cfg.DaylightCorrection);
        w.WriteNumber("feeder_timeout", cfg.FeederTimeout);
        w.WriteNumber("rollovers_mode", (int)cfg.RolloversMode);
        w.WriteString("path_database", install.DatabasePath);
        w.WriteString("path_history", install.HistoryPath);
        w.WriteString("path_log", install.LogPath);
        w.WriteString("name", cfg.Name);
        w.WriteString("owner", cfg.Owner);
        w.WriteString("brand", cfg.Brand);
        w.WriteString("account_url", cfg.AccountUrl);
        w.WriteNumber("keepticks", cfg.KeepTicks);
        w.WriteNumber("monthly_state_mode", cfg.MonthlyStateMode);
        w.WriteNumber("statement_mode", cfg.StatementMode);
        w.WriteNumber("statement_weekend", cfg.StatementWeekend);
        // Open source: no licence key, nothing expires.
        w.WriteNumber("license_status", 1);
        w.WriteNumber("license_expire", 0);
        w.WriteNumber("license_init", 0);
        w.WriteString("license", "open source");
        w.WriteString("time_backup", cfg.TimeBackup);
        w.WriteNumber("http_port", install.HttpPort);
        w.WriteNumber("tcp_port", install.TcpPort);
        w.WriteNumber("fix_port", install.FixPort);
        w.WriteNumber("ws_port", install.WsPort);
        w.WriteStartArray("restart_required");
        foreach (var field in RestartFields) w.WriteStringValue(field);
        w.WriteEndArray();
    }

    /// <summary>Fields that are installation facts: changed in appsettings.json, applied at the next start.</summary>
    private static readonly string[] RestartFields = ["path_database", "path_history", "path_log", "port", "http_port", "tcp_port", "fix_port", "ws_port"];

    private static async ValueTask<Reply> UpdateConfig(CommandContext c)
    {
        var d = c.Data;
        var current = await View(c).GetAsync(c.Session.AnsweredSequence);
        var install = Installation(c);

        var rollover = d.RequireInt("rollovers_mode");
        if (rollover is < 0 or > 2) throw ProtocolException.InvalidData("rollovers_mode must be 0 (normal), 1 (by close) or 2 (by bid)");
        var antiflood = d.RequireInt("antiflood");
        if (antiflood is not (0 or 1)) throw ProtocolException.InvalidData("antiflood must be 0 or 1");
        var floodcontrol = d.RequireInt("floodcontrol");
        if (floodcontrol is < 0 or > 1_000_000) throw ProtocolException.InvalidData("floodcontrol must be 0 to 1000000 commands per second");
        var timezone = d.RequireInt("timezone");
        if (timezone is < -12 or > 14) throw ProtocolException.InvalidData("timezone must be between -12 and 14 hours");
        var name = d.RequireString("name", 64);
        if (name.Trim().Length == 0) throw ProtocolException.InvalidData("name must not be empty");
        var timeOfDemo = d.RequireInt("timeofdemo");
        var keepTicks = d.OptionalInt("keepticks", current.KeepTicks);
        var feederTimeout = d.OptionalInt("feeder_timeout", current.FeederTimeout);
        if (timeOfDemo < 0 || keepTicks < 0 || feederTimeout < 0) throw ProtocolException.InvalidData("timeofdemo, keepticks and feeder_timeout must not be negative");
        var daylight = d.OptionalInt("daylightcorrection", current.DaylightCorrection);
        if (daylight is not (0 or 1)) throw ProtocolException.InvalidData("daylightcorrection must be 0 or 1");

        // Installation facts: required by the spec, so they are read (and must be text), but never applied here.
        var restart = new List<string>();
        CheckFact(d.RequireString("path_database", 512), install.DatabasePath, "path_database", restart);
        CheckFact(d.RequireString("path_history", 512), install.HistoryPath, "path_history", restart);
        CheckFact(d.RequireString("path_log", 512), install.LogPath, "path_log", restart);
        if (d.Has("port") && d.RequireInt("port") != install.TcpPort) restart.Add("port");
        foreach (var (field, value) in new[] { ("http_port", install.HttpPort), ("tcp_port", install.TcpPort), ("fix_port", install.FixPort), ("ws_port", install.WsPort) })
        {
            if (d.Has(field) && d.RequireInt(field) != value) restart.Add(field);
        }

        var updated = current with
        {
            Name = name,
            Owner = d.RequireString("owner", 128),
            AccountUrl = d.RequireString("account_url", 256),
            TimeOfDemo = timeOfDemo,
            TimeZone = timezone,
            AntiFlood = antiflood,
            FloodControl = floodcontrol,
            RolloversMode = (RolloverMode)rollover,
            TypeOfDemo = d.OptionalInt("typeofdemo", current.TypeOfDemo),
            FeederTimeout = feederTimeout,
            DaylightCorrection = daylight,
            KeepTicks = keepTicks,
            MonthlyStateMode = d.OptionalInt("monthly_state_mode", current.MonthlyStateMode),
            StatementMode = d.OptionalInt("statement_mode", current.StatementMode),
            StatementWeekend = d.OptionalInt("statement_weekend", current.StatementWeekend),
            TimeBackup = d.OptionalString("time_backup", 64) ?? current.TimeBackup,
            Brand = d.OptionalString("brand", 64) ?? current.Brand,
        };

        try
        {
            await c.SubmitAsync(new UpdateServerConfig(updated) { Actor = c.Actor });
        }
        catch (ProtocolException ex) when (ex.Status >= 500)
        {
            throw new ProtocolException(500, "CONFIG_UPDATE_ERROR", ex.Message);
        }
        if (restart.Count == 0) return Reply.Ok();
        return Reply.Ok(w => w.WriteStringValue("OK"), writeExtra: w =>
        {
            w.WriteStartArray("restart_required");
            foreach (var field in restart) w.WriteStringValue(field);
            w.WriteEndArray();
            w.WriteString("message", $"not changed: {string.Join(", ", restart)} — set in appsettings.json, applied at the next start");
        });
    }

    private static void CheckFact(string requested, string actual, string field, List<string> restart)
    {
        if (!string.Equals(requested, actual, StringComparison.Ordinal)) restart.Add(field);
    }
}
