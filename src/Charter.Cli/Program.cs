// Copyright (c) Charter contributors. Licensed under the MIT License.

return await Charter.Cli.CliApp.RunAsync(args);
