using Dealwire.Host.Cli;

return await DealwireCommands.RunAsync(args);
