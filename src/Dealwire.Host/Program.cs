Console.WriteLine("dealwire");
