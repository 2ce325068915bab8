using Spectre.Console;

namespace Dealwire.LoadTest;

/// <summary>The Spectre.Console progress display: one bar per measured run, filled as its window elapses.</summary>
public sealed class ProgressUi(ProgressContext context)
{
    public async Task StepAsync(string label, Func<Action<double>, Task> run)
    {
        var task = context.AddTask(Markup.Escape(label), maxValue: 1);
        try
        {
            await run(fraction => task.Value = Math.Clamp(fraction, 0, 1));
            task.Value = 1;
        }
        catch (Exception ex)
        {
            task.Description = Markup.Escape($"{label}: FAILED {ex.Message.Split('\n')[0]}");
            throw;
        }
        finally
        {
            task.StopTask();
        }
    }
}
