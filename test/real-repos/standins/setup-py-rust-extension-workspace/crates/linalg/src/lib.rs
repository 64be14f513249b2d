pub fn rank() -> usize {
    0
}

#[cfg(test)]
mod tests {
    #[test]
    fn rank_is_zero() {
        assert_eq!(super::rank(), 0);
    }
}
