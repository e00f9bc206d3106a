def test_a_masked_name_does_not_tell_its_length():
    from huiyin.people.masking import mask_name

    assert mask_name("赵六") == mask_name("赵大六") == "赵**"
    assert mask_name("欧阳明月") == "欧**" and mask_name("") == ""
