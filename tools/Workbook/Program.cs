return Workbook.Cli.Run(args, Console.Out, Console.Error);
