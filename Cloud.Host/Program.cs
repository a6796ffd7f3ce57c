using Cloud.Host;

return await CloudCommand.Create().InvokeAsync(args);
