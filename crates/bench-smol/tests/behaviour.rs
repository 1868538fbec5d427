//! The checks every bench binary must pass.
harness::behaviour_tests!("smol", tasks = 2000);
