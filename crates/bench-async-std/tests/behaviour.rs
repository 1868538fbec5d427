//! The checks every bench binary must pass.
harness::behaviour_tests!("async-std", tasks = 2000);
