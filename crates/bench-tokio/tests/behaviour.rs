//! The checks every bench binary must pass.
harness::behaviour_tests!("tokio", tasks = 2000);
