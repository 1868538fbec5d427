//! The checks every bench binary must pass.
harness::behaviour_tests!("may", tasks = 2000);
